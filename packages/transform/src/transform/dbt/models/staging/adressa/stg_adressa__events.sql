-- Every Adressa event, typed: article page views (with an article id) and the rest (front page,
-- sections). The article's category comes from `category1` or, failing that, from the taxonomy
-- group of its content profile (`nyheter/trondheim`).
with

source as (

    select * from {{ lake_source('raw_adressa', 'events') }}

),

renamed as (

    select
        'adressa:' || _dataset || ':' || event_id as event_key,
        event_id,
        user_id,
        {{ timestamp_from_epoch('time') }} as event_time,
        id as article_id,
        id is not null as is_article_view,
        url,
        canonical_url,
        title,
        {{ parse_timestamp('publishtime', '%Y-%m-%dT%H:%M:%S.%gZ', strict=false) }}
            as published_at,
        category1,
        {{ list_element(list_filter(
            'profile', 'entry',
            list_contains(list_transform('entry.groups', 'g', 'g.group'), "'taxonomy'")
        ), 1) }}.item as taxonomy,
        case
            when keywords is null or keywords = '' then {{ empty_list('string') }}
            else {{ split_text('keywords', ',') }}
        end as keywords,
        coalesce(author, {{ empty_list('string') }}) as authors,
        active_time as active_time_s,
        session_start,
        session_stop,
        device_type,
        os,
        country,
        region,
        city,
        referrer_host_class,
        referrer_url,
        referrer_search_engine,
        referrer_social_network,
        _dataset as dataset,
        _source_member as source_member,
        _row_number as source_line

    from source

),

categorised as (

    select
        * {{ except_columns(['category1', 'taxonomy']) }},
        coalesce(
            nullif(split_part(category1, '|', 1), ''), nullif(split_part(taxonomy, '/', 1), '')
        ) as category,
        coalesce(
            nullif(split_part(category1, '|', 2), ''), nullif(split_part(taxonomy, '/', 2), '')
        ) as subcategory

    from renamed

)

select * from categorised
