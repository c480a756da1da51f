import { PII_ENTITIES, type PiiEntity } from "./PiiFinding.js";

/**
 * What a column's name says about its contents, per entity: 1 when the name is unambiguous
 * (`email`, `ssn`, `date_of_birth`, `customer_name`), less when it is suggestive (`name`, `tel`,
 * `card`), 0 when it says nothing. Words that describe a property of the entity rather than the
 * entity (`email_verified`, `phone_type`, `ip_country`, `email_hash`) cancel the name's evidence.
 */
export interface NameEvidence {
  /** Score 0–1 per entity, in PII_ENTITIES order. */
  scores: number[];
  /** Bits of the entities with a score above 0 (see entityBits.ts). */
  mask: number;
}

const NEGATIVE = new Set([
  "hash",
  "hashed",
  "sha",
  "sha1",
  "sha256",
  "md5",
  "digest",
  "mask",
  "masked",
  "anon",
  "anonymized",
  "anonymised",
  "pseudonymized",
  "pseudonymised",
  "redacted",
  "encrypted",
  "token",
  "tokenized",
  "count",
  "cnt",
  "flag",
  "is",
  "has",
  "verified",
  "valid",
  "validated",
  "type",
  "kind",
  "domain",
  "provider",
  "format",
  "length",
  "len",
  "status",
  "opt",
  "optin",
  "consent",
  "bounced",
  "country",
  "region",
  "city",
  "state",
  "zip",
  "zipcode",
  "postcode",
  "postal",
  "lat",
  "lon",
  "lng",
  "latitude",
  "longitude",
  "year",
  "month",
  "version",
  "changed",
  "updated",
  "created",
  "template",
]);

/** Qualifiers that make `name` a person's name. */
const PERSON_QUALIFIERS = new Set([
  "customer",
  "client",
  "patient",
  "employee",
  "contact",
  "person",
  "owner",
  "holder",
  "cardholder",
  "applicant",
  "member",
  "student",
  "passenger",
  "driver",
  "buyer",
  "seller",
  "recipient",
  "sender",
  "guest",
  "subscriber",
  "beneficiary",
  "insured",
  "policyholder",
  "full",
  "first",
  "last",
  "given",
  "family",
  "middle",
  "maiden",
  "real",
  "parent",
  "spouse",
  "teacher",
  "doctor",
  "physician",
  "author",
  "signer",
  "traveler",
  "traveller",
  "resident",
  "tenant",
  "borrower",
  "candidate",
]);

/**
 * Qualifiers that leave `name` only suggestive: a user name is often a handle, an account's name
 * a ledger title ("Individual Income Taxes"), a legal or display name a company's.
 */
const SUGGESTIVE_QUALIFIERS = new Set(["user", "account", "display", "legal"]);

/** Words that make `address` something other than a postal address. */
const NOT_POSTAL = [
  "email",
  "mail",
  "ip",
  "ipv4",
  "ipv6",
  "mac",
  "web",
  "url",
  "wallet",
  "remote",
  "client",
  "server",
  "host",
  "contract",
  "btc",
  "eth",
  "memory",
  "hw",
  "bluetooth",
  "network",
  "net",
];

/** Words before `addr` that make it a network address. */
const NETWORK_ADDR = ["remote", "client", "src", "source", "dst", "dest", "destination", "host", "server", "peer", "local", "ip"];

export function tokenizeColumnName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

export function columnNameEvidence(name: string): NameEvidence {
  const tokens = tokenizeColumnName(name);
  const joined = tokens.join("");
  const has = (t: string) => tokens.includes(t);
  const score: Partial<Record<PiiEntity, number>> = {};
  if (!tokens.some((t) => NEGATIVE.has(t))) {
    if (joined.includes("email") || has("mail")) score.EMAIL_ADDRESS = 1;
    if (/phone|mobile|msisdn|fax|telefon/.test(joined)) score.PHONE_NUMBER = 1;
    else if (has("tel") || has("cell") || has("mob")) score.PHONE_NUMBER = 0.8;
    if (/creditcard|debitcard|paymentcard|cardnumber|cardno|cardnum|ccnumber|ccnum/.test(joined)) score.CREDIT_CARD = 1;
    else if (has("card") || has("cc") || has("pan")) score.CREDIT_CARD = 0.7;
    if (joined.includes("iban")) score.IBAN_CODE = 1;
    else if (joined.includes("bankaccount")) score.IBAN_CODE = 0.7;
    if (has("ssn") || joined.includes("socialsecurity")) score.US_SSN = 1;
    const networkAddr = (has("addr") || has("address")) && NETWORK_ADDR.some(has);
    if (has("ip") || has("ipv4") || has("ipv6") || joined.includes("ipaddr")) score.IP_ADDRESS = 1;
    else if (networkAddr) score.IP_ADDRESS = 0.8;
    if (has("mac") || joined.includes("macaddr")) score.MAC_ADDRESS = 1;
    else if (has("hwaddr") || has("bssid")) score.MAC_ADDRESS = 0.8;
    if (has("dob") || joined.includes("birth")) score.DATE_OF_BIRTH = 1;
    else if (has("born")) score.DATE_OF_BIRTH = 0.8;
    const postalWord = joined.includes("address") || joined.includes("street") || joined.includes("residence") || has("addr") || has("addr1") || has("addr2");
    if (postalWord && !networkAddr && !NOT_POSTAL.some((w) => has(w) || joined.startsWith(w + "addr"))) score.POSTAL_ADDRESS = 1;
    if (/fullname|firstname|lastname|surname|givenname|familyname|forename|middlename|maidenname/.test(joined) || has("fname") || has("lname")) {
      score.PERSON = 1;
    } else if (has("name")) {
      if (tokens.length === 1) score.PERSON = 0.6;
      else if (tokens.every((t) => t === "name" || PERSON_QUALIFIERS.has(t) || SUGGESTIVE_QUALIFIERS.has(t))) {
        score.PERSON = tokens.some((t) => PERSON_QUALIFIERS.has(t)) ? 1 : 0.6;
      }
    }
  }
  const scores = PII_ENTITIES.map((e) => score[e] ?? 0);
  let mask = 0;
  scores.forEach((s, i) => {
    if (s > 0) mask |= 1 << i;
  });
  return { scores, mask };
}
