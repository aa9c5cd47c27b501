{#
  Incremental by publisher (README, "Incremental builds"). Every table of the project holds the
  rows of each publisher apart (no row mixes two), so a build rebuilds only the publishers whose
  inputs changed since the table last built them, and leaves the others' rows as they are.

  A table's input state for a publisher is one md5 over the code of the table and of every model
  it is built from, the vars the models read, the publisher's state in the lake
  (`lake_visible_state`, the ingestion's rule) when the table reads the lake through views, and
  the recorded states of the incremental tables it reads. `meta.model_builds` records, per table
  and publisher, the state its rows were built from; a publisher whose state differs is rebuilt:
  its rows deleted (pre-hook) and selected again (the model's `rebuilt_filter`), both in the
  model's transaction, then recorded (post-hook). The decision is taken once, when the model is
  compiled, into a temporary table the hooks read, so a load that finishes during the build is
  left for the next one and never half taken.

  A first build, `--full-refresh` (the daily schedule, `make demo`) and unit tests build every
  publisher. On Spark the tables are plain tables, rebuilt in full (`table_materialization`).
#}


{# `incremental` on DuckDB; a plain table elsewhere (Spark's Parquet tables take no deletes) #}
{% macro table_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}


{% macro model_builds() %}meta.model_builds{% endmacro %}


{# the publishers, in the order of their number blocks (the `publishers` var) #}
{% macro lake_publishers() %}
    {{ return(var('publishers')) }}
{% endmacro %}


{# the vars the models read: a build with other values rebuilds every publisher #}
{% macro build_vars() %}
    {{ return({
        'adressa_negatives': var('adressa_negatives'),
        'benchmark_seed': var('benchmark_seed'),
        'popularity_half_life_hours': var('popularity_half_life_hours'),
    }) }}
{% endmacro %}


{#
  What `unique_id` is built from: its own code and that of every model up to the lake or to an
  incremental table (`checksums`), the raw datasets it reaches through views and full tables
  (`datasets`), and the incremental tables it reads (`tables`).
#}
{% macro collect_inputs(unique_id, found, is_start=true) %}
    {%- set node = graph.nodes[unique_id] -%}
    {%- do found.checksums.append(unique_id ~ '=' ~ node.checksum.checksum) -%}
    {%- if not is_start and node.config.materialized == 'incremental' -%}
        {%- do found.tables.append(node.alias or node.name) -%}
    {%- else -%}
        {%- for parent in node.depends_on.nodes -%}
            {%- if parent not in found.seen -%}
                {%- do found.seen.append(parent) -%}
                {%- if parent.startswith('source.') -%}
                    {%- do found.datasets.append(graph.sources[parent].source_name) -%}
                {%- elif parent.startswith('model.') -%}
                    {{- collect_inputs(parent, found, false) -}}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{% macro rebuild_table() %}"{{ this.identifier }}__rebuild"{% endmacro %}


{#
  The publishers this build of the current model rebuilds, as a list, or none for every one (a
  first build, a full refresh, a unit test); their input states are left in a temporary table for
  the hooks.
#}
{% macro rebuilt_publishers() %}
    {{ return(adapter.dispatch('rebuilt_publishers')()) }}
{% endmacro %}


{% macro spark__rebuilt_publishers() %}
    {{ return(none) }}
{% endmacro %}


{% macro default__rebuilt_publishers() %}
    {%- if not execute or model.resource_type == 'unit_test' -%}{{ return(none) }}{%- endif -%}
    {%- set everyone = lake_publishers() -%}
    {%- set found = {'checksums': [], 'datasets': [], 'tables': [], 'seen': []} -%}
    {{- collect_inputs(model.unique_id, found) -}}
    {%- set signature = local_md5(
        (found.checksums | unique | sort | join('|')) ~ '|' ~ tojson(build_vars())
    ) -%}
    {%- set ready = {} -%}
    {%- for dataset in found.datasets | unique | sort -%}
        {%- set query -%}select main.lake_dataset_ready('{{ dataset }}'){%- endset -%}
        {%- do ready.update({dataset: run_query(query).columns[0].values()[0]}) -%}
    {%- endfor -%}
    {%- set tables = found.tables | unique | sort | list -%}
    {%- set query -%}
        create or replace temporary table {{ rebuild_table() }} as
        with

        publishers as (
            select unnest([{% for p in everyone %}'{{ p }}'{{ ',' if not loop.last }}{% endfor %}]) as publisher
        ),

        upstream as (
            select publisher, string_agg(model || '=' || state, '|' order by model) as states
            from {{ model_builds() }}
            where model in ({% for t in tables %}'{{ t }}', {% endfor %}null)
            group by publisher
        ),

        current_states as (
            select
                publishers.publisher,
                md5(concat_ws(
                    '|',
                    '{{ signature }}',
                    case
                        when false then ''
                    {%- for dataset, is_ready in ready.items() if is_ready %}
                        when publishers.publisher = '{{ dataset[4:] }}'
                            then main.lake_visible_state('{{ dataset }}')
                    {%- endfor %}
                        else 'no lake'
                    end,
                    coalesce(upstream.states, '')
                )) as state
            from publishers
            left join upstream on publishers.publisher = upstream.publisher
        )

        select current_states.publisher, current_states.state
        from current_states
        {%- if is_incremental() %}
        left join {{ model_builds() }} as recorded
            on recorded.model = '{{ this.identifier }}'
            and recorded.publisher = current_states.publisher
        where recorded.state is distinct from current_states.state
        {%- endif %}
    {%- endset -%}
    {%- do run_query(query) -%}
    {%- set rebuilt = run_query(
        'select publisher from ' ~ rebuild_table() ~ ' order by publisher'
    ).columns[0].values() | list -%}
    {%- do log(this.identifier ~ ': rebuilding ' ~ (rebuilt | join(', ') or 'no publisher'), info=false) -%}
    {{ return(rebuilt if is_incremental() else none) }}
{% endmacro %}


{#
  A filter on the rows of the rebuilt publishers: `key` is the column (or, for a table of one
  publisher, a literal) naming the publisher.
#}
{% macro rebuilt_filter(rebuilt, key='publisher') %}
    {%- if rebuilt is none -%}
        true
    {%- elif rebuilt -%}
        {{ key }} in ({% for p in rebuilt %}'{{ p }}'{{ ', ' if not loop.last }}{% endfor %})
    {%- else -%}
        false
    {%- endif -%}
{% endmacro %}


{% macro is_incremental_table() %}
    {{ return(config.get('materialized') == 'incremental') }}
{% endmacro %}


{% macro delete_rebuilt_publishers() %}
    {%- if execute and is_incremental_table() and is_incremental() -%}
        delete from {{ this }}
        where {{ config.get('publisher_key', 'publisher') }} in (
            select publisher from {{ rebuild_table() }}
        )
    {%- endif -%}
{% endmacro %}


{% macro record_rebuilt_publishers() %}
    {%- if execute and is_incremental_table() -%}
        delete from {{ model_builds() }}
        where model = '{{ this.identifier }}'
            and publisher in (select publisher from {{ rebuild_table() }});
        insert into {{ model_builds() }} (model, publisher, state, built_at, invocation_id)
        select '{{ this.identifier }}', publisher, state, now(), '{{ invocation_id }}'
        from {{ rebuild_table() }};
        drop table {{ rebuild_table() }}
    {%- endif -%}
{% endmacro %}


{% macro create_model_builds() %}
    {%- if table_materialization() == 'incremental' %}
    create schema if not exists meta;
    create table if not exists {{ model_builds() }} (
        model varchar not null,
        publisher varchar not null,
        state varchar not null,
        built_at timestamp with time zone not null,
        invocation_id varchar not null
    )
    {%- endif %}
{% endmacro %}


{#
  A number unique across publishers that depends only on the publisher's own rows:
  `row_number() over (partition by publisher order by ...)` after the publisher's block of
  `stride` numbers (1 adressa, 2 ebnerd, 3 mind), so rebuilding one publisher renumbers no other.
#}
{% macro publisher_row_number(order_by, stride) -%}
    (case publisher
    {%- for p in lake_publishers() %}
        when '{{ p }}' then {{ loop.index }}
    {%- endfor %}
    end * {{ stride }} + row_number() over (partition by publisher order by {{ order_by }}))
{%- endmacro %}


{# The publisher a `publisher_row_number` belongs to. #}
{% macro publisher_of_number(number, stride) -%}
    (case {{ int_div(number, stride) }}
    {%- for p in lake_publishers() %}
        when {{ loop.index }} then '{{ p }}'
    {%- endfor %}
    end)
{%- endmacro %}
