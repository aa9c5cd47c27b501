-- One row per release and split of every publisher, numbered: the scoring tables key an impression
-- by (dataset_number, its numeric source id) rather than by the text of its key.
{%- set rebuilt = rebuilt_publishers() %}
with

impressions as (

    select
        publisher,
        dataset
    from {{ ref('stg_unified_impressions') }}
    where {{ rebuilt_filter(rebuilt) }}

),

datasets as (

    select distinct
        publisher,
        dataset
    from impressions

),

numbered as (

    select
        publisher,
        dataset,
        cast({{ publisher_row_number('dataset', 1000) }} as integer) as dataset_number,
        {{ md5_32("publisher || ':' || dataset") }} as name_hash

    from datasets

),

seeded as (

    select
        publisher,
        dataset,
        dataset_number,
        -- every impression hash starts from its dataset's, so the seed enters every random choice
        {{ mix32('name_hash', benchmark_seed()) }} as dataset_hash

    from numbered

)

select * from seeded
