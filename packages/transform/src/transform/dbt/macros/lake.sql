{#
  The raw lake holds every Parquet file dlt ever wrote, including those of loads that did not
  finish. On DuckDB the sources read it through `main.lake_visible_rows` (docs/lake.md), a DuckDB
  macro that the profile's plugin (`transform.lake_plugin`) installs on every connection from the
  ingestion package, where the rule is written once: no model can see a half-written load.

  Spark cannot run that macro. Before dbt builds on Spark, `transform.spark_lake` runs the same
  rule with DuckDB and writes its answer to `$NEWSREC_DATA_DIR/spark/lake/`: each table's
  readiness and Parquet location (`tables.parquet`) and the visible (source file, load id) pairs
  (`visible.parquet`). The Spark sources keep the rows whose pair is one of them.
#}


{#
  `source()` for a raw lake table, or an empty relation with the documented columns (and the
  provenance columns every raw table carries) while the
  table has no finished load yet (a publisher never ingested, or its first load killed): one
  missing publisher must not stop the others from building.
#}
{% macro lake_source(source_name, table_name) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- if execute and model.resource_type != 'unit_test'
        and not lake_table_ready(source_name, table_name) -%}
        {{ log("lake: " ~ source_name ~ "." ~ table_name ~ " has no finished load; reading it as empty", info=true) }}
        {{ empty_source(source_name, table_name) }}
    {%- else -%}
        {{ lake_relation(relation, source_name, table_name) }}
    {%- endif -%}
{% endmacro %}


{% macro lake_relation(relation, source_name, table_name) %}
    {{ return(adapter.dispatch('lake_relation')(relation, source_name, table_name)) }}
{% endmacro %}

{# DuckDB: the source's `external_location`, `main.lake_visible_rows(...)`. #}
{% macro duckdb__lake_relation(relation, source_name, table_name) %}
    {{- relation -}}
{% endmacro %}

{% macro spark__lake_relation(relation, source_name, table_name) %}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set location = spark_lake_table(source_name, table_name)[1] -%}
    (
        -- the rule's answer, computed by the ingestion's rule (newsrec-spark-lake): no rule here
        select lake_rows.*
        from parquet.`{{ location | replace('`', '``') }}` as lake_rows
        where exists (
            select 1
            from parquet.`{{ spark_lake_dir() }}/visible.parquet` as visible
            where
                visible.dataset = '{{ source_name }}'
                and lake_rows._source_file = visible.source_file
                and lake_rows._dlt_load_id = visible.load_id
        )
    )
{% endmacro %}


{% macro lake_table_ready(source_name, table_name) %}
    {{ return(adapter.dispatch('lake_table_ready')(source_name, table_name)) }}
{% endmacro %}

{% macro duckdb__lake_table_ready(source_name, table_name) %}
    {%- set query -%}
        select main.lake_table_ready('{{ source_name }}', '{{ table_name }}')
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}

{% macro spark__lake_table_ready(source_name, table_name) %}
    {{ return(spark_lake_table(source_name, table_name)[0]) }}
{% endmacro %}


{# Where `transform.spark_lake` writes the lake's answer for Spark. #}
{% macro spark_lake_dir() %}
    {{- return(env_var('NEWSREC_DATA_DIR') ~ '/spark/lake') -}}
{% endmacro %}

{# (ready, location) of a raw table, as `transform.spark_lake` wrote them. #}
{% macro spark_lake_table(source_name, table_name) %}
    {%- set query -%}
        select ready, location from parquet.`{{ spark_lake_dir() }}/tables.parquet`
        where dataset = '{{ source_name }}' and table_name = '{{ table_name }}'
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- if rows | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "lake: " ~ source_name ~ "." ~ table_name ~ " is not in " ~ spark_lake_dir()
            ~ "/tables.parquet: run `newsrec-spark-lake` before dbt on Spark"
        ) }}
    {%- endif -%}
    {{ return((rows[0][0], rows[0][1])) }}
{% endmacro %}


{% macro empty_source(source_name, table_name) %}
    {%- set node = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name)
        | first -%}
    (
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ lake_type(column.data_type) }}) as {{ adapter.quote(column.name) }},
        {%- endfor %}
            cast(null as string) as _source_file,
            cast(null as string) as _source_member,
            cast(null as string) as _dataset,
            cast(null as string) as _split,
            cast(null as bigint) as _row_number,
            cast(null as string) as _dlt_load_id
        where false
    )
{% endmacro %}


{#
  A source column's `data_type` (DuckDB's spelling, as the YAML documents it) in the engine's:
  Spark's for the types the raw tables use — lists (`x[]`) and structs
  (`struct(name type, ...)`) nested in any depth; unsigned integers widen to the next signed type.
#}
{% macro lake_type(data_type) %}
    {{ return(adapter.dispatch('lake_type')(data_type)) }}
{% endmacro %}

{% macro duckdb__lake_type(data_type) %}
    {{- return(data_type) -}}
{% endmacro %}

{% macro spark__lake_type(data_type) %}
    {%- set text = data_type | trim -%}
    {%- set scalars = {'varchar': 'string', 'uinteger': 'bigint', 'usmallint': 'int',
                       'utinyint': 'smallint', 'integer': 'int'} -%}
    {%- if text.endswith('[]') -%}
        {{ return('array<' ~ spark__lake_type(text[:-2]) ~ '>') }}
    {%- elif text.startswith('struct(') -%}
        {#- split the fields on the commas outside parentheses -#}
        {%- set parts = namespace(fields=[], current='', depth=0) -%}
        {%- for character in text[7:-1] -%}
            {%- if character == ',' and parts.depth == 0 -%}
                {%- set parts.fields = parts.fields + [parts.current] -%}
                {%- set parts.current = '' -%}
            {%- else -%}
                {%- set parts.depth = parts.depth + (1 if character == '(' else -1 if character == ')' else 0) -%}
                {%- set parts.current = parts.current ~ character -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set fields = [] -%}
        {%- for field in parts.fields + [parts.current] -%}
            {%- set name, type = (field | trim).split(' ', 1) -%}
            {%- set _ = fields.append('`' ~ name | replace('"', '') ~ '`: ' ~ spark__lake_type(type)) -%}
        {%- endfor -%}
        {{ return('struct<' ~ fields | join(', ') ~ '>') }}
    {%- else -%}
        {{ return(scalars.get(text | lower, text)) }}
    {%- endif -%}
{% endmacro %}
