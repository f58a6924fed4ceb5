/** Text as French Excel saves it (« CSV (séparateur : point-virgule) »): Windows-1252 bytes. Throws on a character it cannot hold. */
const HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

export function encodeWindows1252(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const high = HIGH.indexOf(text[i]!);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes[i] = code;
    else if (high >= 0) bytes[i] = 0x80 + high;
    else throw new Error(`« ${text[i]} » has no Windows-1252 byte`);
  }
  return bytes;
}
