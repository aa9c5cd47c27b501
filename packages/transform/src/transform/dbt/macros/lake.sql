{#
  The raw lake holds every Parquet file dlt ever wrote, including those of loads that did not
  finish. The sources read it through `main.lake_visible_rows` (docs/lake.md), a DuckDB macro
  that the profile's plugin (`transform.lake_plugin`) installs on every connection from the
  ingestion package, where the rule is written once: no model can see a half-written load.
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
        {{ relation }}
    {%- endif -%}
{% endmacro %}


{% macro lake_table_ready(source_name, table_name) %}
    {%- set query -%}
        select main.lake_table_ready('{{ source_name }}', '{{ table_name }}')
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}


{% macro empty_source(source_name, table_name) %}
    {%- set node = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name)
        | first -%}
    (
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) }},
        {%- endfor %}
            cast(null as varchar) as _source_file,
            cast(null as varchar) as _source_member,
            cast(null as varchar) as _dataset,
            cast(null as varchar) as _split,
            cast(null as bigint) as _row_number,
            cast(null as varchar) as _dlt_load_id
        where false
    )
{% endmacro %}
