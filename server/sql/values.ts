import type { DuckDBBlobValue, DuckDBDecimalValue, DuckDBType, DuckDBValue } from '@duckdb/node-api';

type DuckDb = typeof import('@duckdb/node-api');

/** Turns one DuckDB value into the JSON a result row carries. */
export type CellConverter = (value: DuckDBValue, type: DuckDBType) => unknown;

/** Bytes of a BLOB shown in its preview; longer ones end with an ellipsis and their length. */
const BLOB_PREVIEW_BYTES = 32;
/** A DECIMAL whose scaled value is below this has at most 15 significant digits, which a double holds exactly. */
const EXACT_DECIMAL_LIMIT = 10n ** 15n;

function integer(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function decimal(value: DuckDBDecimalValue): number | string {
  const text = value.toString();
  const magnitude = value.value < 0n ? -value.value : value.value;
  return magnitude < EXACT_DECIMAL_LIMIT ? Number(text) : text;
}

function blobPreview(value: DuckDBBlobValue): string {
  const bytes = value.bytes;
  const hex = Buffer.from(bytes.subarray(0, BLOB_PREVIEW_BYTES)).toString('hex');
  return bytes.length > BLOB_PREVIEW_BYTES ? `0x${hex}… (${bytes.length} bytes)` : `0x${hex}`;
}

/** `2020-01-02 03:04:05.123` becomes `2020-01-02T03:04:05.123`, and a UTC offset `+00` becomes `Z`. */
function isoTimestamp(text: string): string {
  return text.replace(' ', 'T').replace(/\+00(:00)?$/, 'Z');
}

/**
 * The converter for result cells: numbers stay numbers while exact, everything else that JSON cannot hold
 * exactly becomes a string; nested values (lists, structs, maps) use DuckDB's own JSON conversion.
 */
export function createCellConverter(duckdb: DuckDb): CellConverter {
  const id = duckdb.DuckDBTypeId;
  const json = duckdb.JsonDuckDBValueConverter;
  return (value, type) => {
    if (value === null) return null;
    switch (type.typeId) {
      case id.BIGINT:
      case id.UBIGINT:
      case id.HUGEINT:
      case id.UHUGEINT:
        return typeof value === 'bigint' ? integer(value) : String(value);
      case id.DECIMAL:
        return decimal(value as DuckDBDecimalValue);
      case id.BLOB:
        return blobPreview(value as DuckDBBlobValue);
      case id.TIMESTAMP:
      case id.TIMESTAMP_S:
      case id.TIMESTAMP_MS:
      case id.TIMESTAMP_NS:
      case id.TIMESTAMP_TZ:
        return isoTimestamp(String(value));
      case id.DATE:
      case id.TIME:
      case id.TIME_NS:
      case id.TIME_TZ:
      case id.INTERVAL:
      case id.UUID:
      case id.BIT:
        return String(value);
      default:
        return json(value, type, json);
    }
  };
}
