-- One row per article in view in an EB-NeRD impression; clicked when it is among the impression's
-- clicked articles, unknown in the unlabeled test split.
with

behaviors as (

    select * from {{ ref('stg_ebnerd__behaviors') }}

),

exploded as (

    select
        impression_key,
        impression_id,
        user_id,
        session_id,
        impression_time,
        device_type,
        article_ids_clicked,
        next_read_time_s,
        dataset,
        split,
        {{ explode_lists([('article_ids_inview', 'article_id')], 'position') }}

    from behaviors

),

labeled as (

    select
        impression_key,
        impression_id,
        user_id,
        session_id,
        article_id,
        cast(position as integer) as position,
        impression_time,
        case
            when article_ids_clicked is not null
                then {{ list_contains('article_ids_clicked', 'article_id') }}
        end as clicked,
        device_type,
        dataset,
        split,
        next_read_time_s

    from exploded

),

final as (

    select
        * {{ except_columns(['next_read_time_s']) }},
        -- the read time of the next article applies to the one that was clicked
        case when clicked then next_read_time_s end as dwell_time_s

    from labeled

)

select * from final
