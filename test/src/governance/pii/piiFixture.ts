import type { Column, Dataset } from "../../../../src/data/Dataset.js";
import type { PiiEntity } from "../../../../src/governance/pii/PiiFinding.js";

/**
 * A labelled dataset for the PII scanner: columns of real-looking personal data (generated with
 * valid checksums) and columns of look-alikes that must not be reported. Every value carries its
 * label, so precision and recall can be computed per column and per value. Seeded: the same seed
 * gives the same table. The checksums here are computed independently of the scanner's code
 * (BigInt for mod-97, a check-digit formula for Luhn), so a bug in one does not hide in the other.
 */
export interface LabelledColumn {
  column: Column;
  /** Entities the column holds (empty for a look-alike). */
  entities: PiiEntity[];
  /** The entity of each row's value (null: a look-alike or a missing value). */
  labels: (PiiEntity | null)[];
}

export function makeRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x9e3779b9) >>> 0;
    let r = t;
    r = Math.imul(r ^ (r >>> 16), 0x85ebca6b);
    r = Math.imul(r ^ (r >>> 13), 0xc2b2ae35);
    return ((r ^ (r >>> 16)) >>> 0) / 4294967296;
  };
}

export function makePiiFixture(rows: number, seed: number): { ds: Dataset; columns: LabelledColumn[] } {
  const rnd = makeRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join("");
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  const pad = (x: number, n: number) => String(x).padStart(n, "0");
  const g = new Gen(rnd, int, pick, digits, hex, pad);

  const cols: LabelledColumn[] = [];
  const text = (name: string, entity: PiiEntity | null, make: () => string, nullRate = 0.02) => {
    const values: (string | null)[] = [];
    const labels: (PiiEntity | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const missing = rnd() < nullRate;
      values.push(missing ? null : make());
      labels.push(missing ? null : entity);
    }
    cols.push({ column: { name, type: "string", values, nulls: values.filter((v) => v === null).length }, entities: entity ? [entity] : [], labels });
  };
  const numbers = (name: string, entity: PiiEntity | null, make: () => number) => {
    const values = new Float64Array(rows);
    const labels: (PiiEntity | null)[] = [];
    let nulls = 0;
    for (let i = 0; i < rows; i++) {
      const missing = rnd() < 0.02;
      values[i] = missing ? NaN : make();
      if (missing) nulls++;
      labels.push(missing ? null : entity);
    }
    cols.push({ column: { name, type: "number", values, nulls }, entities: entity ? [entity] : [], labels });
  };

  // Personal data, under telling names and under neutral ones.
  text("customer_email", "EMAIL_ADDRESS", () => g.email());
  {
    const values: (string | null)[] = [];
    const labels: (PiiEntity | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const email = rnd() < 0.5;
      values.push(email ? g.email() : g.intlPhone());
      labels.push(email ? "EMAIL_ADDRESS" : "PHONE_NUMBER");
    }
    cols.push({ column: { name: "contact", type: "string", values, nulls: 0 }, entities: ["EMAIL_ADDRESS", "PHONE_NUMBER"], labels });
  }
  text("caller", "PHONE_NUMBER", () => g.intlPhone());
  text("phone", "PHONE_NUMBER", () => g.usPhone());
  text("landline", "PHONE_NUMBER", () => g.europeanNationalPhone());
  numbers("mobile_number", "PHONE_NUMBER", () => Number(`${int(2, 9)}${digits(2)}${int(2, 9)}${digits(6)}`));
  text("card_number", "CREDIT_CARD", () => g.formattedCard());
  numbers("payment_ref", "CREDIT_CARD", () => Number(g.card(pick(["visa", "mastercard", "amex", "discover", "jcb"] as const))));
  text("payee", "IBAN_CODE", () => g.iban(true));
  text("applicant_ssn", "US_SSN", () => g.ssn("-"));
  text("tax_ref", "US_SSN", () => g.ssn(pick(["-", " "])));
  numbers("ssn", "US_SSN", () => Number(g.ssn("")));
  text("client_ip", "IP_ADDRESS", () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`);
  text("peer", "IP_ADDRESS", () => g.ipv6());
  text("device", "MAC_ADDRESS", () => g.mac());
  text("date_of_birth", "DATE_OF_BIRTH", () => g.birthDate("iso"));
  text("BirthDate", "DATE_OF_BIRTH", () => g.birthDate("dmy"));
  numbers("dob", "DATE_OF_BIRTH", () => Number(g.birthDate("compact")));
  text("full_name", "PERSON", () => g.fullName());
  text("customerName", "PERSON", () => g.fullName());
  text("shipping_address", "POSTAL_ADDRESS", () => g.address());
  text("street", "POSTAL_ADDRESS", () => g.streetLine());
  {
    // Free text where most notes carry an email, and a column of emails with some junk in it.
    const notes: (string | null)[] = [];
    const noteLabels: (PiiEntity | null)[] = [];
    const emails: (string | null)[] = [];
    const emailLabels: (PiiEntity | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const withEmail = rnd() < 0.6;
      notes.push(
        withEmail
          ? `${pick(["please write to", "cc", "forwarded by"])} ${g.email()}${pick(["", ", thanks", "."])}`
          : pick(["call back Monday", "no answer", "left a voicemail"]),
      );
      noteLabels.push(withEmail ? "EMAIL_ADDRESS" : null);
      const junk = rnd() < 0.15;
      emails.push(junk ? pick(["unknown", "n/a", "-", "refused"]) : g.email());
      emailLabels.push(junk ? null : "EMAIL_ADDRESS");
    }
    cols.push({ column: { name: "agent_notes", type: "string", values: notes, nulls: 0 }, entities: ["EMAIL_ADDRESS"], labels: noteLabels });
    cols.push({ column: { name: "login", type: "string", values: emails, nulls: 0 }, entities: ["EMAIL_ADDRESS"], labels: emailLabels });
  }

  // Look-alikes: each resembles an entity in shape but fails its checksum, rule or context.
  text("order_uuid", null, () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`);
  text("order_no", null, () => `ORD-${int(2015, 2025)}-${pad(int(1, 999999), 6)}`);
  text("code_word", null, () => g.capitalisedWord(12));
  numbers("quantity", null, () => int(1_000_000, 9_999_999));
  numbers("customer_id", null, () => int(1_000_000_000, 9_999_999_999));
  text("ref_code", null, () => g.badLuhnCard());
  numbers("ref_number", null, () => Number(g.badLuhnCard().replace(/\D/g, "")));
  text("account_code", null, () => g.badIban());
  text("case_ref", null, () => g.badSsn());
  text("app_version", null, () =>
    pick([
      () => `${int(0, 9)}.${int(0, 20)}.${int(0, 30)}`,
      () => `${int(1, 9)}.${int(0, 9)}.${int(0, 20)}.${int(0, 30)}`,
      () => `v${int(1, 5)}.${int(0, 12)}.${int(0, 9)}`,
    ])(),
  );
  text("created_at", null, () => g.timestamp());
  text("order_date", null, () => g.plainDate());
  text("content_sha", null, () => hex(pick([32, 40, 64])));
  text("product_code", null, () => `SKU-${digits(5)}-${g.capitalisedWord(2).toUpperCase()}`);
  numbers("amount", null, () => Math.round(rnd() * 1e6) / 100);
  // Luhn-valid 15-digit IMEIs: Luhn alone is not a card, the issuer prefix and length decide.
  numbers("device_imei", null, () => Number(g.imei()));
  // EAN-13 barcodes starting 40–44 share Visa's first digit and 13-digit length; one in ten passes Luhn by chance.
  text("ean13", null, () => g.ean13());
  numbers("zip9", null, () => int(10_000_000, 999_999_999));
  text("isbn", null, () => `978-${int(0, 1)}-${digits(3)}-${digits(5)}-${int(0, 9)}`);
  text("ratio", null, () => `${int(1, 20)}:${int(1, 20)}`);
  text("build_id", null, () => `${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(0, 31)}`);

  return { ds: { columns: cols.map((c) => c.column), rows }, columns: cols };
}

const FIRST = [
  "James",
  "Mary",
  "John",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "José",
  "Zoë",
  "Jean-Luc",
  "Aoife",
  "Søren",
  "Mohammed",
  "Wei",
  "Olga",
  "Kwame",
  "Ana",
];
const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "García",
  "Müller",
  "O'Brien",
  "Nguyen",
  "Kowalski",
  "Dubois",
  "Rossi",
  "van der Berg",
  "Okafor",
  "Ivanova",
  "Tanaka",
  "Silva",
];
const STREETS = ["Main", "Oak", "Baker", "High", "Station", "Church", "Elm", "Maple", "Park", "Mill"];
const SUFFIX = ["Street", "St", "Ave", "Road", "Lane", "Blvd", "Drive", "Way"];
const CITIES = ["Springfield", "London", "Berlin", "Lyon", "Austin", "Leeds", "Munich", "Toronto"];
const DOMAINS = ["example.com", "mail.example.org", "corp.example.co.uk", "example.de", "uni.example.edu"];

/** Card prefixes and lengths per brand. */
const BRANDS = {
  visa: { prefixes: ["4"], length: 16 },
  mastercard: { prefixes: ["51", "52", "53", "54", "55", "2221", "2720", "2500"], length: 16 },
  amex: { prefixes: ["34", "37"], length: 15 },
  discover: { prefixes: ["6011", "65", "644"], length: 16 },
  jcb: { prefixes: ["3528", "3589", "3566"], length: 16 },
  unionpay: { prefixes: ["62"], length: 19 },
} as const;

const IBAN_FORMATS: Record<string, number> = { DE: 22, GB: 22, FR: 27, NL: 18, ES: 24, IT: 27, CH: 21, BE: 16, AT: 20, PL: 28 };

class Gen {
  constructor(
    private rnd: () => number,
    private int: (lo: number, hi: number) => number,
    private pick: <T>(xs: readonly T[]) => T,
    private digits: (n: number) => string,
    private hex: (n: number) => string,
    private pad: (x: number, n: number) => string,
  ) {}

  email(): string {
    const user = this.pick([
      () => `${this.pick(FIRST)}.${this.pick(LAST)}`,
      () => `${this.pick(FIRST)}${this.int(1, 999)}`,
      () => `${this.pick(FIRST)[0]}${this.pick(LAST)}+news`,
      () => `${this.pick(FIRST)}_${this.pick(LAST)}`,
    ])();
    return `${user
      .normalize("NFD")
      .replace(/[^\x20-\x7e]/g, "")
      .replace(/[ ']/g, "")
      .toLowerCase()}@${this.pick(DOMAINS)}`;
  }

  usPhone(): string {
    const area = `${this.int(2, 9)}${this.digits(2)}`;
    const exch = `${this.int(2, 9)}${this.digits(2)}`;
    const line = this.digits(4);
    return this.pick([`(${area}) ${exch}-${line}`, `${area}-${exch}-${line}`, `${area}.${exch}.${line}`, `1-${area}-${exch}-${line}`]);
  }

  intlPhone(): string {
    return this.pick([
      () => `+1 ${this.int(2, 9)}${this.digits(2)} ${this.int(2, 9)}${this.digits(2)} ${this.digits(4)}`,
      () => `+44 20 ${this.digits(4)} ${this.digits(4)}`,
      () => `+44 7${this.digits(3)} ${this.digits(6)}`,
      () => `+49 30 ${this.digits(8)}`,
      () => `+49 171 ${this.digits(7)}`,
      () => `+33 ${this.int(1, 9)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)}`,
      () => `+81 3-${this.digits(4)}-${this.digits(4)}`,
      () => `+91 ${this.int(6, 9)}${this.digits(4)} ${this.digits(5)}`,
      () => `+1${this.int(2, 9)}${this.digits(2)}${this.int(2, 9)}${this.digits(6)}`,
      () => `+353 ${this.int(1, 9)}${this.digits(1)} ${this.digits(3)} ${this.digits(4)}`,
    ])();
  }

  europeanNationalPhone(): string {
    return this.pick([
      () => `020 ${this.digits(4)} ${this.digits(4)}`,
      () => `07${this.digits(3)} ${this.digits(6)}`,
      () => `030 ${this.digits(8)}`,
      () => `0${this.int(151, 179)}/${this.digits(7)}`,
      () => `(089) ${this.digits(7)}`,
      () => `0${this.int(1, 9)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)}`,
      () => `0${this.int(1, 9)}.${this.digits(2)}.${this.digits(2)}.${this.digits(2)}.${this.digits(2)}`,
    ])();
  }

  card(brand: keyof typeof BRANDS): string {
    const { prefixes, length } = BRANDS[brand];
    const prefix = this.pick(prefixes);
    const body = prefix + this.digits(length - prefix.length - 1);
    return body + luhnCheckDigit(body);
  }

  formattedCard(): string {
    const brand = this.pick(Object.keys(BRANDS) as (keyof typeof BRANDS)[]);
    const n = this.card(brand);
    const layout = this.pick(["plain", "spaces", "dashes"] as const);
    if (layout === "plain") return n;
    const sep = layout === "spaces" ? " " : "-";
    if (n.length === 15) return [n.slice(0, 4), n.slice(4, 10), n.slice(10)].join(sep);
    return n.match(/.{1,4}/g)!.join(sep);
  }

  badLuhnCard(): string {
    const n = this.card(this.pick(["visa", "mastercard", "discover"] as const));
    const wrong = (Number(n[n.length - 1]) + this.int(1, 9)) % 10;
    const bad = n.slice(0, -1) + wrong;
    return this.rnd() < 0.5 ? bad : bad.match(/.{1,4}/g)!.join(" ");
  }

  iban(spaced: boolean): string {
    const cc = this.pick(Object.keys(IBAN_FORMATS));
    const len = IBAN_FORMATS[cc];
    let bban = "";
    if (cc === "GB" || cc === "NL") bban = Array.from({ length: 4 }, () => String.fromCharCode(65 + this.int(0, 25))).join("");
    bban += this.digits(len - 4 - bban.length);
    const iban = `${cc}${ibanCheckDigits(cc, bban)}${bban}`;
    return spaced && this.rnd() < 0.5 ? iban.match(/.{1,4}/g)!.join(" ") : iban;
  }

  badIban(): string {
    const iban = this.iban(false);
    const i = this.int(5, iban.length - 1);
    const c = iban[i];
    const changed = /\d/.test(c) ? String((Number(c) + this.int(1, 9)) % 10) : String.fromCharCode(65 + ((c.charCodeAt(0) - 65 + this.int(1, 25)) % 26));
    return iban.slice(0, i) + changed + iban.slice(i + 1);
  }

  ssn(sep: string): string {
    let area = this.int(1, 899);
    if (area === 666) area = 667;
    return `${this.pad(area, 3)}${sep}${this.pad(this.int(1, 99), 2)}${sep}${this.pad(this.int(1, 9999), 4)}`;
  }

  badSsn(): string {
    const area = this.pick([() => "000", () => "666", () => String(this.int(900, 999))])();
    return `${area}-${this.pad(this.int(1, 99), 2)}-${this.pad(this.int(1, 9999), 4)}`;
  }

  ipv6(): string {
    const groups = Array.from({ length: 8 }, () => this.hex(this.int(1, 4)).replace(/^0+(?=.)/, ""));
    const form = this.int(0, 3);
    if (form === 0) return groups.join(":");
    if (form === 1) return `2001:db8::${groups.slice(5).join(":")}`;
    if (form === 2) return `fe80::${groups.slice(4).join(":")}`.toUpperCase();
    return `::ffff:${this.int(1, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  mac(): string {
    const b = Array.from({ length: 6 }, () => this.hex(2));
    return this.pick([() => b.join(":"), () => b.join("-").toUpperCase(), () => `${b[0]}${b[1]}.${b[2]}${b[3]}.${b[4]}${b[5]}`])();
  }

  birthDate(form: "iso" | "dmy" | "compact"): string {
    const y = this.int(1935, 2006);
    const m = this.int(1, 12);
    const d = this.int(1, 28);
    if (form === "iso") return `${y}-${this.pad(m, 2)}-${this.pad(d, 2)}`;
    if (form === "dmy") return `${this.pad(d, 2)}/${this.pad(m, 2)}/${y}`;
    return `${y}${this.pad(m, 2)}${this.pad(d, 2)}`;
  }

  imei(): string {
    const body = this.pick(["35", "86", "01", "99"]) + this.digits(12);
    return body + luhnCheckDigit(body);
  }

  ean13(): string {
    const body = String(this.int(40, 44)) + this.digits(10);
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
    return body + String((10 - (sum % 10)) % 10);
  }

  plainDate(): string {
    return `${this.int(2019, 2025)}-${this.pad(this.int(1, 12), 2)}-${this.pad(this.int(1, 28), 2)}`;
  }

  timestamp(): string {
    const t = `${this.plainDate()}${this.pick(["T", " "])}${this.pad(this.int(0, 23), 2)}:${this.pad(this.int(0, 59), 2)}:${this.pad(this.int(0, 59), 2)}`;
    return this.rnd() < 0.5 ? `${t}Z` : t;
  }

  fullName(): string {
    return this.rnd() < 0.8 ? `${this.pick(FIRST)} ${this.pick(LAST)}` : `${this.pick(LAST)}, ${this.pick(FIRST)}`;
  }

  streetLine(): string {
    return `${this.int(1, 2500)} ${this.pick(STREETS)} ${this.pick(SUFFIX)}`;
  }

  address(): string {
    return `${this.streetLine()}, ${this.pick(CITIES)} ${this.digits(5)}`;
  }

  capitalisedWord(n: number): string {
    const letters = Array.from({ length: n }, () => String.fromCharCode(97 + this.int(0, 25))).join("");
    return letters[0].toUpperCase() + letters.slice(1);
  }
}

/** The Luhn check digit for `body` (computed here from the definition, apart from the scanner's code). */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** ISO 13616 check digits, with BigInt arithmetic (the scanner works digit by digit). */
export function ibanCheckDigits(cc: string, bban: string): string {
  const numeric = (bban + cc + "00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return String(98n - (BigInt(numeric) % 97n)).padStart(2, "0");
}
