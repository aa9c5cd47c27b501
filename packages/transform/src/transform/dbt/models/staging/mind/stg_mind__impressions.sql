-- One row per news shown in a MIND impression: `N123-1` is clicked, `N123-0` is not, and a bare
-- `N123` (the test release) has no label.
with

behaviors as (

    select * from {{ ref('stg_mind__behaviors') }}

),

exploded as (

    select
        impression_key,
        impression_id,
        user_id,
        impression_time,
        dataset,
        split,
        {{ explode_lists([('impression_tokens', 'token')], 'position') }}

    from behaviors

),

parsed as (

    select
        impression_key,
        impression_id,
        user_id,
        split_part(token, '-', 1) as article_id,
        cast(position as integer) as position,
        impression_time,
        nullif(split_part(token, '-', 2), '') as label,
        dataset,
        split

    from exploded

),

labeled as (

    select
        *,
        case label when '1' then true when '0' then false end as clicked

    from parsed

)

select * from labeled
