-- Every publisher's articles in the eight columns of MIND's news.tsv, text fields free of tabs and
-- line breaks (news.tsv has no quoting): MIND's own rows; EB-NeRD's category name, first
-- subcategory id, title, subtitle as abstract and url; Adressa's category, subcategory, title and
-- url. A field the publisher does not have is empty. A view, read by `newsrec-export`.
{{ config(materialized='view') }}

with

articles as (

    select * from {{ ref('stg_unified_articles') }}

),

mind_news as (

    select
        news_id,
        title_entities,
        abstract_entities
    from {{ ref('stg_mind__news') }}

),

described as (

    select
        articles.publisher,
        articles.article_id,
        articles.category,
        articles.subcategory,
        articles.title,
        articles.abstract,
        articles.url,
        cast(mind_news.title_entities as string) as title_entities,
        cast(mind_news.abstract_entities as string) as abstract_entities

    from articles
    left join mind_news
        on articles.publisher = 'mind'
        and articles.article_id = mind_news.news_id

),

cleaned as (

    select
        publisher,
        article_id,
    {%- for column in [
        'category', 'subcategory', 'title', 'abstract', 'url', 'title_entities', 'abstract_entities'
    ] %}
        coalesce({{ regexp_replace_all(column, '[\\t\\r\\n]+', ' ') }}, '')
            as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}

    from described

)

select * from cleaned
