-- Whether each publisher's staging is sound enough to join the others: every impression has a
-- key, a user and a time, and no key repeats. A publisher that fails is held back from
-- stg_unified_impressions (quarantined, with the count of what was held back and why), so one
-- publisher's bad data does not stop the others' rows from reaching the marts.
{{ config(materialized='table') }}

{#- each publisher's impressions: (publisher, model, extra copies already kept once) -#}
{%- set staged = [
    ('mind', 'stg_mind__behaviors', 'cast(0 as bigint)'),
    ('ebnerd', 'stg_ebnerd__behaviors', 'cast(0 as bigint)'),
    ('adressa', 'stg_adressa__impressions', 'cast(coalesce(sum(copies - 1), 0) as bigint)'),
] %}

with

{% for publisher, model, dropped in staged %}
    {{ publisher }} as (

        select
            '{{ publisher }}' as publisher,
            count(*) as impressions,
            count(*) - count(distinct impression_key) as repeated_keys,
            count(*) filter (
                where impression_key is null or user_id is null or impression_time is null
            ) as incomplete,
            {{ dropped }} as duplicates_dropped

        from {{ ref(model) }}

    ),

{% endfor %}
unioned as (

    {% for publisher, _, _ in staged %}
        select * from {{ publisher }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

assessed as (

    select
        *,
        repeated_keys = 0 and incomplete = 0 as is_healthy,
        case
            when repeated_keys > 0 and incomplete > 0
                then
                    repeated_keys || ' repeated impression keys and '
                    || incomplete || ' impressions without key, user or time'
            when repeated_keys > 0 then repeated_keys || ' repeated impression keys'
            when incomplete > 0
                then incomplete || ' impressions without key, user or time'
        end as problem

    from unioned

)

select * from assessed
