-- One row per EB-NeRD article: the union of every release's articles.parquet, taking the most
-- recently modified copy.
with

source as (

    select * from {{ lake_source('raw_ebnerd', 'articles') }}

),

renamed as (

    select
        article_id,
        title,
        nullif(subtitle, '') as subtitle,
        nullif(body, '') as body,
        url,
        article_type,
        premium as is_premium,
        published_time as published_at,
        last_modified_time as last_modified_at,
        category as category_id,
        category_str as category,
        subcategory as subcategory_ids,
        topics,
        ner_clusters,
        entity_groups,
        image_ids,
        total_inviews,
        total_pageviews,
        total_read_time,
        sentiment_score,
        sentiment_label,
        _dataset as dataset,
        _source_file as source_file,
        _row_number as source_row

    from source

),

deduplicated as (

    select *
    from renamed
    qualify row_number() over (
        partition by article_id
        order by last_modified_at desc nulls last, dataset desc, source_file, source_row
    ) = 1

)

select * from deduplicated
