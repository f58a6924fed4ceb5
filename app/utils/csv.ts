/**
 * CSV for French spreadsheets (Excel opens it as it is): UTF-8 with a byte order mark, `;`
 * between cells, CRLF, and a cell starting with = + - @, a tab or a carriage return
 * neutralised so that it is never run as a formula.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function spreadsheetCsv(rows: readonly (readonly (string | number)[])[]): string {
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(";")).join("\r\n") + "\r\n";
}
