{#
  What DuckDB and Spark spell differently, so that one set of model files builds on both
  (`dbt build` on DuckDB, `dbt build --target spark`). Each macro dispatches on the adapter
  (`duckdb__…`, `spark__…`); the models call only the plain name. Lists are 1-based where a macro
  takes an index, as DuckDB's are.
#}

{# A CTE read twice that DuckDB should not copy aside first (`as not materialized (`); Spark
   inlines CTEs anyway. #}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized')()) }}
{%- endmacro %}
{% macro duckdb__not_materialized() %}not materialized{% endmacro %}
{% macro spark__not_materialized() %}{% endmacro %}

{# `* exclude (a, b)` in DuckDB, `* except (a, b)` in Spark: follows a `*`. #}
{% macro except_columns(columns) -%}
    {{ return(adapter.dispatch('except_columns')(columns)) }}
{%- endmacro %}
{% macro duckdb__except_columns(columns) %}exclude ({{ columns | join(', ') }}){% endmacro %}
{% macro spark__except_columns(columns) %}except ({{ columns | join(', ') }}){% endmacro %}

{# --- types --- #}

{# A list of `element` (a type both engines name alike: integer, bigint, varchar → string). #}
{% macro list_type(element) -%}
    {{ return(adapter.dispatch('list_type')(element)) }}
{%- endmacro %}
{% macro duckdb__list_type(element) %}{{ element }}[]{% endmacro %}
{% macro spark__list_type(element) %}array<{{ element }}>{% endmacro %}

{# A 64-bit word for the hashes' unsigned 32-bit values (macros/benchmark_hashing.sql). #}
{% macro hash_word_type() -%}
    {{ return(adapter.dispatch('hash_word_type')()) }}
{%- endmacro %}
{% macro duckdb__hash_word_type() %}ubigint{% endmacro %}
{% macro spark__hash_word_type() %}bigint{% endmacro %}

{# --- lists --- #}

{% macro list_literal(items) -%}
    {{ return(adapter.dispatch('list_literal')(items)) }}
{%- endmacro %}
{% macro duckdb__list_literal(items) %}[{{ items | join(', ') }}]{% endmacro %}
{% macro spark__list_literal(items) %}array({{ items | join(', ') }}){% endmacro %}

{% macro empty_list(element) -%}
    {{ return(adapter.dispatch('empty_list')(element)) }}
{%- endmacro %}
{% macro duckdb__empty_list(element) %}cast([] as {{ element }}[]){% endmacro %}
{% macro spark__empty_list(element) %}cast(array() as array<{{ element }}>){% endmacro %}

{% macro list_contains(list, value) -%}
    {{ return(adapter.dispatch('list_contains')(list, value)) }}
{%- endmacro %}
{% macro duckdb__list_contains(list, value) %}list_contains({{ list }}, {{ value }}){% endmacro %}
{% macro spark__list_contains(list, value) %}array_contains({{ list }}, {{ value }}){% endmacro %}

{# Every element of `subset` is in `list`. #}
{% macro list_has_all(list, subset) -%}
    {{ return(adapter.dispatch('list_has_all')(list, subset)) }}
{%- endmacro %}
{% macro duckdb__list_has_all(list, subset) %}list_has_all({{ list }}, {{ subset }}){% endmacro %}
{% macro spark__list_has_all(list, subset) -%}
    (array_size(array_except({{ subset }}, {{ list }})) = 0)
{%- endmacro %}

{% macro list_length(list) -%}
    {{ return(adapter.dispatch('list_length')(list)) }}
{%- endmacro %}
{% macro duckdb__list_length(list) %}len({{ list }}){% endmacro %}
{% macro spark__list_length(list) %}array_size({{ list }}){% endmacro %}

{% macro list_distinct(list) -%}
    {{ return(adapter.dispatch('list_distinct')(list)) }}
{%- endmacro %}
{% macro duckdb__list_distinct(list) %}list_distinct({{ list }}){% endmacro %}
{% macro spark__list_distinct(list) %}array_distinct({{ list }}){% endmacro %}

{% macro list_max(list) -%}
    {{ return(adapter.dispatch('list_max')(list)) }}
{%- endmacro %}
{% macro duckdb__list_max(list) %}list_max({{ list }}){% endmacro %}
{% macro spark__list_max(list) %}array_max({{ list }}){% endmacro %}

{# The element at 1-based `index`, null past the end. #}
{% macro list_element(list, index) -%}
    {{ return(adapter.dispatch('list_element')(list, index)) }}
{%- endmacro %}
{% macro duckdb__list_element(list, index) %}{{ list }}[{{ index }}]{% endmacro %}
{% macro spark__list_element(list, index) %}try_element_at({{ list }}, cast({{ index }} as int)){% endmacro %}

{# Elements `start` to `stop`, 1-based and inclusive; `stop` omitted: to the end. #}
{% macro list_slice(list, start, stop=none) -%}
    {{ return(adapter.dispatch('list_slice')(list, start, stop)) }}
{%- endmacro %}
{% macro duckdb__list_slice(list, start, stop) -%}
    {{ list }}[{{ start }}:{{ stop if stop is not none }}]
{%- endmacro %}
{% macro spark__list_slice(list, start, stop) -%}
    slice({{ list }}, {{ start }}, greatest({{ stop if stop is not none else 'array_size(' ~ list ~ ')' }} - ({{ start }}) + 1, 0))
{%- endmacro %}

{% macro list_concat(lists) -%}
    {{ return(adapter.dispatch('list_concat')(lists)) }}
{%- endmacro %}
{% macro duckdb__list_concat(lists) %}list_concat({{ lists | join(', ') }}){% endmacro %}
{% macro spark__list_concat(lists) %}concat({{ lists | join(', ') }}){% endmacro %}

{# Lambdas: `variable` names the element inside `body`. #}
{% macro list_filter(list, variable, body) -%}
    {{ return(adapter.dispatch('list_filter')(list, variable, body)) }}
{%- endmacro %}
{% macro duckdb__list_filter(list, variable, body) -%}
    list_filter({{ list }}, lambda {{ variable }}: {{ body }})
{%- endmacro %}
{% macro spark__list_filter(list, variable, body) -%}
    filter({{ list }}, {{ variable }} -> {{ body }})
{%- endmacro %}

{% macro list_transform(list, variable, body) -%}
    {{ return(adapter.dispatch('list_transform')(list, variable, body)) }}
{%- endmacro %}
{% macro duckdb__list_transform(list, variable, body) -%}
    list_transform({{ list }}, lambda {{ variable }}: {{ body }})
{%- endmacro %}
{% macro spark__list_transform(list, variable, body) -%}
    transform({{ list }}, {{ variable }} -> {{ body }})
{%- endmacro %}

{# Ascending; structs compare field by field. #}
{% macro list_sort(list) -%}
    {{ return(adapter.dispatch('list_sort')(list)) }}
{%- endmacro %}
{% macro duckdb__list_sort(list) %}list_sort({{ list }}){% endmacro %}
{% macro spark__list_sort(list) %}array_sort({{ list }}){% endmacro %}

{# The integers `start` to `stop`, inclusive (empty when stop < start). #}
{% macro list_range(start, stop) -%}
    {{ return(adapter.dispatch('list_range')(start, stop)) }}
{%- endmacro %}
{% macro duckdb__list_range(start, stop) %}range({{ start }}, {{ stop }} + 1){% endmacro %}
{% macro spark__list_range(start, stop) -%}
    case when {{ stop }} >= {{ start }} then sequence({{ start }}, {{ stop }}) else array() end
{%- endmacro %}

{# A struct of `fields`, a list of (name, expression) pairs. #}
{% macro struct_literal(fields) -%}
    {{ return(adapter.dispatch('struct_literal')(fields)) }}
{%- endmacro %}
{% macro duckdb__struct_literal(fields) -%}
    { {%- for name, expression in fields %}'{{ name }}': {{ expression }}{{ ", " if not loop.last }}{% endfor -%} }
{%- endmacro %}
{% macro spark__struct_literal(fields) -%}
    named_struct({%- for name, expression in fields %}'{{ name }}', {{ expression }}{{ ", " if not loop.last }}{% endfor -%})
{%- endmacro %}

{# Aggregate: the distinct values of `expression`, in no particular order. #}
{% macro list_distinct_agg(expression) -%}
    {{ return(adapter.dispatch('list_distinct_agg')(expression)) }}
{%- endmacro %}
{% macro duckdb__list_distinct_agg(expression) %}list(distinct {{ expression }}){% endmacro %}
{% macro spark__list_distinct_agg(expression) %}collect_set({{ expression }}){% endmacro %}

{#
  Select-list items: one output row per element of the lists, the lists zipped (a null list
  gives no row): `lists` are (expression, alias) pairs, every list as long as the first;
  `position` names the element's index, counted from `base`, of `position_type`.
#}
{% macro explode_lists(lists, position, base=0, position_type='bigint') -%}
    {{ return(adapter.dispatch('explode_lists')(lists, position, base, position_type)) }}
{%- endmacro %}
{% macro duckdb__explode_lists(lists, position, base, position_type) -%}
    cast(generate_subscripts({{ lists[0][0] }}, 1) - {{ 1 - base }} as {{ position_type }}) as {{ position }},
    {%- for expression, alias in lists %}
    unnest({{ expression }}) as {{ alias }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
{% macro spark__explode_lists(lists, position, base, position_type) -%}
    inline(transform({{ lists[0][0] }}, (element, i) -> named_struct(
        '{{ position }}', cast(i + {{ base }} as {{ position_type }}),
        {%- for expression, alias in lists %}
        '{{ alias }}', {{ 'element' if loop.first else 'get(' ~ expression ~ ', i)' }}{{ "," if not loop.last }}
        {%- endfor %}
    )))
{%- endmacro %}

{# --- text --- #}

{# Split on a literal separator. #}
{% macro split_text(text, separator) -%}
    {{ return(adapter.dispatch('split_text')(text, separator)) }}
{%- endmacro %}
{% macro duckdb__split_text(text, separator) %}string_split({{ text }}, '{{ separator }}'){% endmacro %}
{% macro spark__split_text(text, separator) -%}
    split({{ text }}, '\\Q{{ separator }}\\E')
{%- endmacro %}

{% macro join_list(list, separator) -%}
    {{ return(adapter.dispatch('join_list')(list, separator)) }}
{%- endmacro %}
{% macro duckdb__join_list(list, separator) %}array_to_string({{ list }}, '{{ separator }}'){% endmacro %}
{% macro spark__join_list(list, separator) %}array_join({{ list }}, '{{ separator }}'){% endmacro %}

{# Aggregate: `expression` of the group's rows, in `order_by` order, joined by `separator`. #}
{% macro string_agg_ordered(expression, separator, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered')(expression, separator, order_by)) }}
{%- endmacro %}
{% macro duckdb__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, '{{ separator }}' order by {{ order_by }})
{%- endmacro %}
{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, '{{ separator }}') within group (order by {{ order_by }})
{%- endmacro %}

{# Every match of the regular expression replaced. #}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro duckdb__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{# JSON text: DuckDB's JSON type, Spark's string. #}
{% macro json_text(text) -%}
    {{ return(adapter.dispatch('json_text')(text)) }}
{%- endmacro %}
{% macro duckdb__json_text(text) %}cast({{ text }} as json){% endmacro %}
{% macro spark__json_text(text) %}{{ text }}{% endmacro %}

{# --- time --- #}

{#
  Text to timestamp by a strftime `format` (the directives %Y %m %d %H %I %M %S %p, and %g for
  milliseconds); `strict` fails on text that does not parse, otherwise it is null. Spark gets the
  same format in its own pattern letters, taking unpadded months, days and hours as DuckDB does.
#}
{% macro parse_timestamp(text, format, strict=true) -%}
    {{ return(adapter.dispatch('parse_timestamp')(text, format, strict)) }}
{%- endmacro %}
{% macro duckdb__parse_timestamp(text, format, strict) -%}
    {{ 'strptime' if strict else 'try_strptime' }}({{ text }}, '{{ format }}')
{%- endmacro %}
{% macro spark__parse_timestamp(text, format, strict) -%}
    {%- set letters = {'Y': 'yyyy', 'm': 'M', 'd': 'd', 'H': 'H', 'I': 'h', 'M': 'mm', 'S': 'ss',
                       'p': 'a', 'g': 'SSS'} -%}
    {%- set pattern = namespace(text='', directive=false) -%}
    {%- for character in format -%}
        {%- if pattern.directive -%}
            {%- if character not in letters -%}
                {{ exceptions.raise_compiler_error("parse_timestamp: no Spark pattern for %" ~ character) }}
            {%- endif -%}
            {%- set pattern.text = pattern.text ~ letters[character] -%}
            {%- set pattern.directive = false -%}
        {%- elif character == '%' -%}
            {%- set pattern.directive = true -%}
        {%- elif character.isalpha() -%}
            {%- set pattern.text = pattern.text ~ "'" ~ character ~ "'" -%}
        {%- else -%}
            {%- set pattern.text = pattern.text ~ character -%}
        {%- endif -%}
    {%- endfor -%}
    {{ 'to_timestamp' if strict else 'try_to_timestamp' }}({{ text }}, "{{ pattern.text }}")
{%- endmacro %}

{# Epoch seconds (an integer) as a timestamp. #}
{% macro timestamp_from_epoch(seconds) -%}
    {{ return(adapter.dispatch('timestamp_from_epoch')(seconds)) }}
{%- endmacro %}
{% macro duckdb__timestamp_from_epoch(seconds) %}make_timestamp({{ seconds }} * 1000000){% endmacro %}
{% macro spark__timestamp_from_epoch(seconds) %}timestamp_seconds({{ seconds }}){% endmacro %}

{# Seconds since the epoch, fractions included (a double). #}
{% macro epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('epoch_seconds')(ts)) }}
{%- endmacro %}
{% macro duckdb__epoch_seconds(ts) %}epoch({{ ts }}){% endmacro %}
{% macro spark__epoch_seconds(ts) %}(unix_micros({{ ts }}) / 1000000.0D){% endmacro %}

{# Whole seconds from `start` to `stop` (second boundaries crossed, as DuckDB's date_diff). #}
{% macro seconds_between(start, stop) -%}
    {{ return(adapter.dispatch('seconds_between')(start, stop)) }}
{%- endmacro %}
{% macro duckdb__seconds_between(start, stop) %}date_diff('second', {{ start }}, {{ stop }}){% endmacro %}
{% macro spark__seconds_between(start, stop) %}(unix_seconds({{ stop }}) - unix_seconds({{ start }})){% endmacro %}

{# Days since 1970-01-01 of a date. #}
{% macro days_since_epoch(day) -%}
    {{ return(adapter.dispatch('days_since_epoch')(day)) }}
{%- endmacro %}
{% macro duckdb__days_since_epoch(day) %}({{ day }} - date '1970-01-01'){% endmacro %}
{% macro spark__days_since_epoch(day) %}unix_date({{ day }}){% endmacro %}

{# The local date in `zone` of a UTC timestamp. #}
{% macro local_date(ts, zone) -%}
    {{ return(adapter.dispatch('local_date')(ts, zone)) }}
{%- endmacro %}
{% macro duckdb__local_date(ts, zone) -%}
    cast(timezone('{{ zone }}', timezone('UTC', {{ ts }})) as date)
{%- endmacro %}
{% macro spark__local_date(ts, zone) -%}
    cast(from_utc_timestamp({{ ts }}, '{{ zone }}') as date)
{%- endmacro %}

{# --- integers --- #}

{# Integer division, rounding down (non-negative operands). #}
{% macro int_div(dividend, divisor) -%}
    {{ return(adapter.dispatch('int_div')(dividend, divisor)) }}
{%- endmacro %}
{% macro duckdb__int_div(dividend, divisor) %}({{ dividend }} // {{ divisor }}){% endmacro %}
{% macro spark__int_div(dividend, divisor) %}({{ dividend }} div {{ divisor }}){% endmacro %}

{% macro bit_xor(a, b) -%}
    {{ return(adapter.dispatch('bit_xor')(a, b)) }}
{%- endmacro %}
{% macro duckdb__bit_xor(a, b) %}xor({{ a }}, {{ b }}){% endmacro %}
{% macro spark__bit_xor(a, b) %}(({{ a }}) ^ ({{ b }})){% endmacro %}

{% macro shift_right(value, bits) -%}
    {{ return(adapter.dispatch('shift_right')(value, bits)) }}
{%- endmacro %}
{% macro duckdb__shift_right(value, bits) %}({{ value }} >> {{ bits }}){% endmacro %}
{% macro spark__shift_right(value, bits) %}shiftright({{ value }}, {{ bits }}){% endmacro %}
