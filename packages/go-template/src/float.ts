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

/** x = mant × 2^exp exactly, for finite x > 0. */
function decompose(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mant: frac, exp: -1074 } : { mant: frac | (1n << 52n), exp: biased - 1075 };
}

/** round(x × 10^d) with ties to even, computed exactly (Go rounds the exact binary value; JS toFixed rounds ties up). */
function roundScaled(x: number, d: number): bigint {
  const { mant, exp } = decompose(x);
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (d >= 0) num *= 10n ** BigInt(d);
  else den *= 10n ** BigInt(-d);
  const q = num / den;
  const twice = 2n * (num - q * den);
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** Rounded to n significant digits. */
function significant(abs: number, n: number): Decimal {
  if (abs === 0) return { digits: '', dp: 0 };
  const d = n - shortest(abs).dp;
  const q = roundScaled(abs, d).toString();
  const digits = q.replace(/0+$/, '');
  return { digits, dp: q.length - d };
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

/** Fixed-point rendering with prec decimals, rounded exactly. */
function fixed(abs: number, prec: number): string {
  if (abs === 0) return prec > 0 ? '0.' + '0'.repeat(prec) : '0';
  const q = roundScaled(abs, prec).toString().padStart(prec + 1, '0');
  return prec > 0 ? q.slice(0, q.length - prec) + '.' + q.slice(q.length - prec) : q;
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
