-- The click history that goes with each impression of the evaluation splits, as MIND's
-- behaviors.tsv writes it (news ids separated by spaces, oldest first): MIND's own history column;
-- EB-NeRD's history file of the user for that split; for Adressa, which has no history, the user's
-- article views on the earlier days of the release (the history frozen at the start of the day,
-- so nothing from the impression's own day). A view, read by `newsrec-export`.
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

adressa_views as (

    select
        dataset,
        impression_key,
        user_id,
        article_id,
        impression_time,
        {{ oslo_date('impression_time') }} as view_day

    from {{ ref('stg_unified_impressions') }}
    where publisher = 'adressa'

),

mind as (

    select
        'mind' as publisher,
        impression_key,
        array_to_string(history_news_ids, ' ') as history

    from mind_behaviors

),

ebnerd_users as (

    select
        dataset,
        user_id,
        string_agg(cast(article_id as varchar), ' ' order by position) as history

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

),

adressa_user_days as (

    select distinct dataset, user_id, view_day from adressa_views

),

adressa_user_histories as (

    select
        adressa_user_days.dataset,
        adressa_user_days.user_id,
        adressa_user_days.view_day,
        string_agg(
            earlier.article_id, ' ' order by earlier.impression_time, earlier.impression_key
        ) as history

    from adressa_user_days
    inner join adressa_views as earlier
        on adressa_user_days.dataset = earlier.dataset
        and adressa_user_days.user_id = earlier.user_id
        and earlier.view_day < adressa_user_days.view_day
    group by adressa_user_days.dataset, adressa_user_days.user_id, adressa_user_days.view_day

),

adressa as (

    select
        'adressa' as publisher,
        adressa_views.impression_key,
        coalesce(adressa_user_histories.history, '') as history

    from adressa_views
    left join adressa_user_histories
        on adressa_views.dataset = adressa_user_histories.dataset
        and adressa_views.user_id = adressa_user_histories.user_id
        and adressa_views.view_day = adressa_user_histories.view_day

)

select * from mind
union all
select * from ebnerd
union all
select * from adressa
