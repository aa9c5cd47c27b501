-- One row per EB-NeRD impression. The test split's beyond-accuracy rows all carry impression id 0,
-- so their key takes the row's place in its file instead.
with

source as (

    select * from {{ lake_source('raw_ebnerd', 'behaviors') }}

),

renamed as (

    select
        'ebnerd:' || _dataset || '/' || _split || ':'
        || case
            when is_beyond_accuracy then '0#' || _row_number
            else cast(impression_id as string)
        end as impression_key,
        impression_id,
        user_id,
        session_id,
        -- naive in the release, which does not name a zone; we take it as UTC
        impression_time,
        article_id as page_article_id,
        article_id is null as is_front_page,
        article_ids_inview,
        article_ids_clicked,
        read_time as read_time_s,
        scroll_percentage,
        next_read_time as next_read_time_s,
        next_scroll_percentage,
        case device_type
            when 1 then 'desktop'
            when 2 then 'mobile'
            when 3 then 'tablet'
            else 'unknown'
        end as device_type,
        is_sso_user,
        is_subscriber,
        gender,
        postcode,
        age,
        coalesce(is_beyond_accuracy, false) as is_beyond_accuracy,
        _dataset || '/' || _split as dataset,
        _split as split,
        _source_file as source_file,
        _row_number as source_row

    from source

)

select * from renamed
