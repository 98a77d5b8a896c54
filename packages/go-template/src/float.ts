/** strconv.FormatFloat for the 'e', 'f' and 'g' formats, on JS doubles. */

/** A decimal: value = 0.digits × 10^dp (no trailing zeros in digits; '' is zero). */
interface Decimal {
  digits: string;
  dp: number;
}

function fromExponential(s: string): Decimal {
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`unexpected exponential form ${s}`);
  const digits = ((m[1] ?? '') + (m[2] ?? '')).replace(/0+$/, '');
  return digits === '' ? { digits: '', dp: 0 } : { digits, dp: Number(m[3]) + 1 };
}

/** Shortest digits that round-trip (what Go uses for precision -1). */
function shortest(abs: number): Decimal {
  return fromExponential(abs.toExponential());
}

/** Rounded to n significant digits. */
function significant(abs: number, n: number): Decimal {
  return fromExponential(abs.toExponential(Math.min(Math.max(n - 1, 0), 100)));
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] ?? '0') : '0';
}

function fmtE(d: Decimal, prec: number, e: 'e' | 'E'): string {
  let out = d.digits === '' ? '0' : (d.digits[0] ?? '0');
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const abs = Math.abs(exp);
  return out + e + (exp < 0 ? '-' : '+') + (abs < 10 ? '0' : '') + String(abs);
}

function fmtF(d: Decimal, prec: number): string {
  let out = '';
  if (d.dp > 0) for (let i = 0; i < d.dp; i++) out += digitAt(d, i);
  else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digitAt(d, d.dp + i);
  }
  return out;
}

/** Exact fixed-point rendering with prec decimals (toFixed, which switches to exponent form at 1e21). */
function fixed(abs: number, prec: number): string {
  if (abs < 1e21) return abs.toFixed(Math.min(prec, 100));
  return BigInt(abs).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
}

/** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e E f F g G; prec < 0 means shortest. */
export function formatFloat(v: number, fmt: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  const sign = neg ? '-' : '';
  const shortestMode = prec < 0;
  switch (fmt) {
    case 'e':
    case 'E': {
      const d = shortestMode ? shortest(abs) : significant(abs, prec + 1);
      return sign + fmtE(d, shortestMode ? Math.max(d.digits.length - 1, 0) : prec, fmt);
    }
    case 'f':
    case 'F': {
      if (!shortestMode) return sign + fixed(abs, prec);
      const d = shortest(abs);
      return sign + fmtF(d, Math.max(d.digits.length - d.dp, 0));
    }
    case 'g':
    case 'G': {
      let p = prec;
      if (p === 0) p = 1;
      const d = shortestMode ? shortest(abs) : significant(abs, p);
      let eprec = shortestMode ? 6 : p;
      if (!shortestMode && eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      if (shortestMode) p = d.digits.length;
      const exp = d.digits === '' ? 0 : d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (p > d.digits.length) p = d.digits.length;
        return sign + fmtE(d, Math.max(p - 1, 0), fmt === 'g' ? 'e' : 'E');
      }
      if (p > d.dp) p = d.digits.length;
      return sign + fmtF(d, Math.max(p - d.dp, 0));
    }
  }
}
