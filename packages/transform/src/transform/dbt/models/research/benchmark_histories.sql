-- The click history that goes with each impression of the evaluation splits, as MIND's
-- behaviors.tsv writes it (news ids separated by spaces, oldest first): MIND's own history column,
-- and EB-NeRD's history file of the user for that split. Adressa ships no history: its lines have
-- none, and its train split holds every earlier view for a model to build one from. A view, read
-- by `newsrec-export`.
{{ config(materialized='view') }}

with

mind_behaviors as (

    select * from {{ ref('stg_mind__behaviors') }}

),

ebnerd_behaviors as (

    select * from {{ ref('stg_ebnerd__behaviors') }}

),

ebnerd_clicks as (

    select * from {{ ref('stg_ebnerd__user_history') }}

),

mind as (

    select
        'mind' as publisher,
        impression_key,
        {{ join_list('history_news_ids', ' ') }} as history

    from mind_behaviors

),

ebnerd_users as (

    select
        dataset,
        user_id,
        {{ string_agg_ordered('cast(article_id as string)', ' ', 'position') }} as history

    from ebnerd_clicks
    group by dataset, user_id

),

ebnerd as (

    select
        'ebnerd' as publisher,
        ebnerd_behaviors.impression_key,
        coalesce(ebnerd_users.history, '') as history

    from ebnerd_behaviors
    left join ebnerd_users
        on ebnerd_behaviors.dataset = ebnerd_users.dataset
        and ebnerd_behaviors.user_id = ebnerd_users.user_id

)

select * from mind
union all
select * from ebnerd
