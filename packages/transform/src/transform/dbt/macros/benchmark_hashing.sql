{#
  The benchmark's random choices (Adressa's negatives, the random baseline, the tie-breaks) are
  32-bit hashes that any machine and any DuckDB version computes alike, so a seed always gives
  the same evaluation splits and the same leaderboard. DuckDB's own `hash()` is not promised to
  be stable across versions; md5 is, and murmur3's 32-bit finaliser (`fmix32`) is plain integer
  arithmetic. md5 is slow next to integer arithmetic, so it is only applied to a few distinct
  values (dataset names, article keys); impressions (numeric ids) and candidates use `fmix32`.
  The research package's tests compute the same hashes in Python to re-derive what was drawn.
#}

{# The low 32 bits of md5_number_lower(text): the md5 digest's bytes 8..11, little-endian. #}
{% macro md5_32(expression) -%}
    cast(md5_number_lower({{ expression }}) & 4294967295 as ubigint)
{%- endmacro %}

{#
  murmur3's finaliser on a 32-bit value (0 <= x < 2^32): a bijection whose output bits each
  depend on every input bit. Products stay below 2^64, so UBIGINT never overflows.
#}
{% macro fmix32(x) -%}
    {%- set z0 = 'cast(' ~ x ~ ' as ubigint)' -%}
    {%- set z1 = '((xor(' ~ z0 ~ ', ' ~ z0 ~ ' >> 16) * 2246822507) & 4294967295)' -%}
    {%- set z2 = '((xor(' ~ z1 ~ ', ' ~ z1 ~ ' >> 13) * 3266489909) & 4294967295)' -%}
    cast(xor({{ z2 }}, {{ z2 }} >> 16) as ubigint)
{%- endmacro %}

{# A hash `h` and a 32-bit word `x` mixed into a new hash. #}
{% macro mix32(h, x) -%}
    {{ fmix32('xor(' ~ h ~ ', ' ~ x ~ ')') }}
{%- endmacro %}

{# The seed as a 32-bit word (`benchmark_seed`, default 0). #}
{% macro benchmark_seed() -%}
    cast({{ var('benchmark_seed', 0) }} as ubigint) & 4294967295
{%- endmacro %}
