-- One row per MIND news id: the union of every release's news.tsv (they overlap), taking the
-- newest release's copy.
with

source as (

    select * from {{ lake_source('raw_mind', 'news') }}

),

renamed as (

    select
        news_id,
        category,
        subcategory,
        title,
        nullif(abstract, '') as abstract,
        url,
        {{ json_text("coalesce(nullif(title_entities, ''), '[]')") }} as title_entities,
        {{ json_text("coalesce(nullif(abstract_entities, ''), '[]')") }}
            as abstract_entities,
        _dataset as dataset,
        _source_file as source_file,
        _row_number as source_line

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by news_id order by dataset desc, source_file, source_line
    ) = 1

)

select * from deduplicated
