-- One row per click in an EB-NeRD user's history: the four parallel lists zipped into rows.
with

source as (

    select * from {{ lake_source('raw_ebnerd', 'history') }}

),

zipped as (

    select
        _dataset || '/' || _split as dataset,
        _split as split,
        user_id,
        cast(generate_subscripts(article_id_fixed, 1) - 1 as integer) as position,
        unnest(article_id_fixed) as article_id,
        unnest(impression_time_fixed) as clicked_at,
        unnest(read_time_fixed) as read_time_s,
        unnest(scroll_percentage_fixed) as scroll_percentage

    from source

)

select * from zipped
