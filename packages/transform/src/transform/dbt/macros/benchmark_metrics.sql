{#
  Whether candidate `c` ranks above candidate `p` under `score`: higher score first; ties go to
  the higher random score (`score_random`, a seeded hash of impression and article), then to the
  earlier position. Every impression's ranking is therefore total and reproducible.
#}
{% macro ranks_above(c, p, score) -%}
    (
        {{ c }}.{{ score }} > {{ p }}.{{ score }}
        or ({{ c }}.{{ score }} = {{ p }}.{{ score }} and (
            {{ c }}.score_random > {{ p }}.score_random
            or ({{ c }}.score_random = {{ p }}.score_random and {{ c }}.position < {{ p }}.position)
        ))
    )
{%- endmacro %}

{#
  The ideal DCG@k of an impression with `clicks` clicked candidates (MIND's evaluate.py:
  dcg_score(y_true, y_true, k)): gains 2^1 - 1 = 1 at ranks 1..min(clicks, k), discounted by
  log2(rank + 1).
#}
{% macro ideal_dcg(clicks, k) -%}
    case least({{ clicks }}, {{ k }})
        {%- for m in range(1, k + 1) %}
        when {{ m }} then {% for i in range(1, m + 1) %}1 / log2({{ i + 1 }}){{ " + " if not loop.last }}{% endfor %}
        {%- endfor %}
    end
{%- endmacro %}

{#
  The "most popular" signal: `series` holds one row per (article_number, hour) with the article's
  `clicks` in that hour and whether the hour `is_needed` (a candidate is shown in it); for each
  needed hour, the clicks during the 24 clock hours before it. Hours are whole hours since the
  epoch, UTC; the series only holds hours with a click or a candidate, so the window is over few.
#}
{% macro clicks_in_previous_24_hours(series) -%}
    select article_number, hour, clicks_24h
    from (
        select
            article_number,
            hour,
            is_needed,
            coalesce(sum(clicks) over (
                partition by article_number order by hour
                range between 24 preceding and 1 preceding
            ), 0) as clicks_24h
        from {{ series }}
    )
    where is_needed
{%- endmacro %}

{# The baselines every labeled split is scored by, in the leaderboard's order. #}
{% macro baselines() -%}
    {{ return(['random', 'popular', 'recent', 'decayed']) }}
{%- endmacro %}

{# Whole hours since the epoch (UTC) of a timestamp (integer division: `epoch()` is a double). #}
{% macro epoch_hour(ts) -%}
    {{ return(adapter.dispatch('epoch_hour')(ts)) }}
{%- endmacro %}

{% macro duckdb__epoch_hour(ts) -%}
    (epoch_ms({{ ts }}) // 3600000)
{%- endmacro %}

{% macro spark__epoch_hour(ts) -%}
    (unix_millis({{ ts }}) div 3600000)
{%- endmacro %}

{#
  A labeled split of a release as one integer: `dataset_number * 4` plus 0 (train), 1 (validation)
  or 2 (test). The scoring keys impressions by (split_number, source id) so that no text is
  carried through its joins and groupings; `split_name` reads it back.
#}
{% macro split_number(dataset_number, split) -%}
    {{ return(adapter.dispatch('split_number')(dataset_number, split)) }}
{%- endmacro %}

{% macro duckdb__split_number(dataset_number, split) -%}
    ({{ dataset_number }} * 4 + list_position(['train', 'validation', 'test'], {{ split }}) - 1)
{%- endmacro %}

{% macro spark__split_number(dataset_number, split) -%}
    ({{ dataset_number }} * 4 + array_position(array('train', 'validation', 'test'), {{ split }}) - 1)
{%- endmacro %}

{% macro split_name(split_number) -%}
    {{ list_element(list_literal(["'train'", "'validation'", "'test'"]), split_number ~ ' % 4 + 1') }}
{%- endmacro %}
