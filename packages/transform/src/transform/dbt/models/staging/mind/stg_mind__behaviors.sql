-- One row per MIND impression (a line of behaviors.tsv), its time parsed and its lists split.
with

source as (

    select * from {{ lake_source('raw_mind', 'behaviors') }}

),

renamed as (

    select
        'mind:' || _dataset || ':' || impression_id as impression_key,
        impression_id,
        user_id,
        -- 12-hour clock, not zero-padded; the release does not say, we take it as UTC
        {{ parse_timestamp('time', '%m/%d/%Y %I:%M:%S %p') }} as impression_time,
        case
            when history = '' then {{ empty_list('string') }}
            else {{ split_text('history', ' ') }}
        end as history_news_ids,
        {{ split_text('impressions', ' ') }} as impression_tokens,
        _dataset as dataset,
        _split as split,
        _source_file as source_file,
        _row_number as source_line

    from source

)

select * from renamed
