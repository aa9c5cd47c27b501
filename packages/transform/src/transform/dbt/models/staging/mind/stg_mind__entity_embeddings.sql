-- One row per Wikidata entity id with its 100-d TransE vector (the releases repeat ids).
with

source as (

    select * from {{ lake_source('raw_mind', 'entity_embedding') }}

),

deduplicated as (

    select
        wikidata_id,
        vector,
        _dataset as dataset

    from source
    qualify row_number() over (partition by wikidata_id order by _dataset desc, _row_number) = 1

)

select * from deduplicated
