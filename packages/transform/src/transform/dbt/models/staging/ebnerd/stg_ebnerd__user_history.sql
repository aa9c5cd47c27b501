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
        {{ explode_lists([
            ('article_id_fixed', 'article_id'),
            ('impression_time_fixed', 'clicked_at'),
            ('read_time_fixed', 'read_time_s'),
            ('scroll_percentage_fixed', 'scroll_percentage'),
        ], 'position', position_type='integer') }}

    from source

)

select * from zipped
