{#
  Adressa logs article views, not impressions. Each view becomes an impression: the article viewed
  (clicked) and K negatives (`adressa_negatives`, default 4) drawn from the articles someone had
  already viewed earlier that Oslo day, never one this user viewed at any time that day. The rule,
  its parameters and how it differs from Adressa-MIND-Bridge: the model's YAML and the README.

  Drawing: the articles viewed on a day are numbered in the order they were first viewed (their
  pool rank), so the pool of a view at time t is ranks 1..pool_size, the articles first viewed
  strictly before t. 2K ranks are drawn uniformly from it with the view's hash; in draw order, a
  rank is kept unless it was drawn before or is one of the user's articles that day, and the first
  K kept are the negatives. When fewer than K are kept, the K allowed ranks with the smallest hash
  are taken instead. A view whose pool holds fewer than K allowed articles gets none and is kept,
  flagged `has_negatives = false`, out of the evaluation splits (counted in `benchmark_splits`).
#}
{%- set k = var('adressa_negatives', 4) | int -%}
{%- set draws = 2 * k -%}
{{ config(publisher_key="'adressa'") }}
{%- set rebuilt = rebuilt_publishers() %}
with

views as (

    select * from {{ ref('stg_unified_impressions') }}
    where publisher = 'adressa' and {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

articles as (

    select
        article_id,
        article_number
    from {{ ref('benchmark_articles') }}
    where publisher = 'adressa' and {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

datasets as (

    select
        dataset,
        dataset_number,
        dataset_hash
    from {{ ref('benchmark_datasets') }}
    where publisher = 'adressa' and {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

pools as (

    select * from {{ ref('benchmark_adressa_pools') }}
    where {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

days as (

    select distinct
        day_id,
        split
    from pools

),

hashed_views as (

    select
        views.dataset,
        datasets.dataset_number,
        cast(views.impression_id as {{ hash_word_type() }}) as impression_number,
        views.user_id,
        articles.article_number,
        views.impression_time,
        {{ oslo_date('views.impression_time') }} as view_day,
        {{ adressa_day_id('datasets.dataset_number', 'view_day') }} as day_id,
        {{ mix32('datasets.dataset_hash', shift_right('impression_number', 32)) }} as id_hash

    from views
    inner join articles
        on views.article_id = articles.article_id
    inner join datasets
        on views.dataset = datasets.dataset

),

dated_views as (

    select
        * {{ except_columns(['id_hash']) }},
        {{ mix32('id_hash', 'impression_number & 4294967295') }} as impression_hash

    from hashed_views

),

pool_growth as (

    -- how many articles had been viewed that day by each first-view time
    select
        day_id,
        first_viewed_at,
        max(pool_rank) as pool_size

    from pools
    group by day_id, first_viewed_at

),

moments as (

    -- many views share a second: the pool size is looked up once per (day, time)
    select distinct
        day_id,
        impression_time
    from dated_views

),

timeline as (

    -- the moments and the pool's growth in one sequence per day; at the same second a moment
    -- comes first, so it sees only the articles first viewed strictly before it
    select
        day_id,
        impression_time as moment_time,
        true as is_moment,
        cast(null as integer) as pool_size
    from moments
    union all
    select
        day_id,
        first_viewed_at as moment_time,
        false as is_moment,
        pool_size
    from pool_growth

),

moment_pools as (

    -- ranks grow with the time of first view: the largest seen so far is the pool's size
    select
        day_id,
        impression_time,
        pool_size
    from (
        select
            day_id,
            moment_time as impression_time,
            is_moment,
            coalesce(max(pool_size) over (
                partition by day_id
                order by moment_time, is_moment desc
                rows between unbounded preceding and current row
            ), 0) as pool_size
        from timeline
    ) as running
    where is_moment

),

user_days as (

    -- every article the user viewed that day, earlier or later: never one of their negatives
    select
        dated_views.day_id,
        dated_views.user_id,
        {{ list_distinct_agg('pools.pool_rank') }} as own_ranks

    from dated_views
    inner join pools
        on dated_views.day_id = pools.day_id
        and dated_views.article_number = pools.article_number
    group by dated_views.day_id, dated_views.user_id

),

pooled as (

    select
        dated_views.*,
        days.split,
        own_pool.pool_rank as article_pool_rank,
        user_days.own_ranks,
        moment_pools.pool_size,
        {{ mix32('dated_views.impression_hash', 1) }} as draw_hash,
        {{ mix32('dated_views.impression_hash', 2) }} % {{ k + 1 }} as positive_position

    from dated_views
    inner join days
        on dated_views.day_id = days.day_id
    inner join user_days
        on dated_views.day_id = user_days.day_id
        and dated_views.user_id = user_days.user_id
    inner join moment_pools
        on dated_views.day_id = moment_pools.day_id
        and dated_views.impression_time = moment_pools.impression_time
    inner join pools as own_pool
        on dated_views.day_id = own_pool.day_id
        and dated_views.article_number = own_pool.article_number

),

drawn as (

    select
        *,
    {%- for j in range(draws) %}
        1 + cast(
            {{ fmix32('(draw_hash + ' ~ j ~ ' * 2654435769) & 4294967295') }} as bigint
        ) % greatest(pool_size, 1) as draw_{{ j }}{{ "," if not loop.last }}
    {%- endfor %}

    from pooled

),

{#- each draw, or null where it repeats an earlier draw or is one of the user's own articles -#}
{%- set draw_columns = [] -%}
{%- set allowed_draws = [] -%}
{%- for j in range(draws) -%}
    {%- set allowed = namespace(condition='not ' ~ list_contains('own_ranks', 'draw_' ~ j)) -%}
    {%- for i in range(j) -%}
        {%- set allowed.condition = allowed.condition ~ ' and draw_' ~ j ~ ' <> draw_' ~ i -%}
    {%- endfor -%}
    {%- set _ = draw_columns.append('draw_' ~ j) -%}
    {%- set allowed_draw = 'case when ' ~ allowed.condition ~ ' then draw_' ~ j ~ ' end' -%}
    {%- set _ = allowed_draws.append(allowed_draw) -%}
{%- endfor %}

kept as (

    select
        * {{ except_columns(draw_columns) }},
        {{ list_slice(list_filter(list_literal(allowed_draws), 'r', 'r is not null'), 1, k) }}
            as kept_ranks

    from drawn

),

chosen as (

    select
        * {{ except_columns(['kept_ranks']) }},
        case
            when pool_size < {{ k }} then {{ empty_list('bigint') }}
            when {{ list_length('kept_ranks') }} = {{ k }} then kept_ranks
            -- too few kept: the allowed ranks with the smallest hashes (pools this small are
            -- rare and short, so this scan stays cheap)
            else {{ list_transform(
                list_slice(
                    list_sort(list_transform(
                        list_filter(
                            list_range(1, 'pool_size'), 'r', 'not ' ~ list_contains('own_ranks', 'r')
                        ),
                        'r', struct_literal([('hash', mix32('draw_hash', 'r')), ('rank', 'r')])
                    )),
                    1, k
                ),
                'drawn_rank', 'drawn_rank.rank'
            ) }}
        end as negative_ranks

    from kept

),

final as (

    -- numbers only (the text of keys and ids is costly to store; `benchmark_impressions` joins it
    -- back from `stg_unified_impressions`)
    select
        dataset,
        dataset_number,
        split,
        impression_number,
        article_number,
        impression_time,
        view_day,
        day_id,
        impression_hash,
        article_pool_rank,
        cast(pool_size as integer) as pool_size,
        {{ list_length('negative_ranks') }} = {{ k }} as has_negatives,
        -- the positive's place among the K + 1 candidates (0-based) and the negatives' pool ranks
        -- in the order drawn; both null for a view without K negatives
        cast(
            case when {{ list_length('negative_ranks') }} = {{ k }} then positive_position end
            as integer
        ) as positive_position,
        case
            when {{ list_length('negative_ranks') }} = {{ k }}
                then cast(negative_ranks as {{ list_type('integer') }})
        end as negative_pool_ranks

    from chosen

)

select * from final
