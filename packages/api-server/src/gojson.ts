// Go's encoding/json Decoder messages for malformed input, which Docker returns after
// "invalid JSON: " (JSON.parse's own words differ). Decoder reads one value: what follows it is
// not looked at.

/** Go's quoteChar: the offending character as the scanner names it. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const json = JSON.stringify(c);
  return `'${json.slice(1, -1)}'`;
}

class SyntaxFault extends Error {}

class Scanner {
  private i = 0;

  constructor(private readonly s: string) {}

  private peek(): string | undefined {
    return this.s[this.i];
  }

  private take(): string {
    const c = this.s[this.i++];
    if (c === undefined) throw new SyntaxFault('unexpected EOF');
    return c;
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i] as string)) this.i++;
  }

  private fail(c: string, context: string): never {
    throw new SyntaxFault(`invalid character ${quoteChar(c)} ${context}`);
  }

  value(): void {
    this.ws();
    const c = this.take();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(c);
    for (const word of ['true', 'false', 'null']) {
      if (c !== word[0]) continue;
      for (const want of word.slice(1)) {
        const got = this.take();
        if (got !== want) this.fail(got, `in literal ${word} (expecting ${quoteChar(want)})`);
      }
      return;
    }
    this.fail(c, 'looking for beginning of value');
  }

  private object(): void {
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const q = this.take();
      if (q !== '"') this.fail(q, 'looking for beginning of object key string');
      this.string();
      this.ws();
      const colon = this.take();
      if (colon !== ':') this.fail(colon, 'after object key');
      this.value();
      this.ws();
      const next = this.take();
      if (next === '}') return;
      if (next !== ',') this.fail(next, 'after object key:value pair');
    }
  }

  private array(): void {
    this.ws();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      const next = this.take();
      if (next === ']') return;
      if (next !== ',') this.fail(next, 'after array element');
    }
  }

  private string(): void {
    for (;;) {
      const c = this.take();
      if (c === '"') return;
      if (c < ' ') this.fail(c, 'in string literal');
      if (c !== '\\') continue;
      const e = this.take();
      if (e === 'u') {
        for (let k = 0; k < 4; k++) {
          const h = this.take();
          if (!/[0-9a-fA-F]/.test(h)) this.fail(h, 'in \\u hexadecimal character escape');
        }
      } else if (!'"\\/bfnrt'.includes(e)) this.fail(e, 'in string escape code');
    }
  }

  private number(first: string): void {
    const digits = (): number => {
      let n = 0;
      while (/[0-9]/.test(this.peek() ?? '')) {
        this.i++;
        n++;
      }
      return n;
    };
    if (first === '-') {
      const c = this.take();
      if (!(c >= '0' && c <= '9')) this.fail(c, 'in numeric literal');
      if (c !== '0') digits();
    } else if (first !== '0') digits();
    if (this.peek() === '.') {
      this.i++;
      const c = this.take();
      if (!(c >= '0' && c <= '9')) this.fail(c, 'after decimal point in numeric literal');
      digits();
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i++;
      let c = this.take();
      if (c === '+' || c === '-') c = this.take();
      if (!(c >= '0' && c <= '9')) this.fail(c, 'in exponent of numeric literal');
      digits();
    }
  }
}

/** The message Go's json.Decoder gives for `text`, or undefined when its first value is well formed. */
export function goJsonError(text: string): string | undefined {
  try {
    new Scanner(text).value();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFault) return e.message;
    throw e;
  }
}
