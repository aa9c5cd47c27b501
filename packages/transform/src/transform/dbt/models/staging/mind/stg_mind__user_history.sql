-- One row per click in a MIND user's history, as of the user's latest impression in each release
-- (the history column repeats on every impression of the user).
with

behaviors as (

    select * from {{ ref('stg_mind__behaviors') }}

),

latest_history as (

    select
        dataset,
        user_id,
        max_by(history_news_ids, impression_time) as history_news_ids

    from behaviors
    group by dataset, user_id

),

exploded as (

    select
        dataset,
        user_id,
        {{ explode_lists([('history_news_ids', 'news_id')], 'position', position_type='integer') }}

    from latest_history

)

select * from exploded
