import { test } from "node:test";
import assert from "node:assert/strict";
import { ibanMod97Valid, knownCardPrefix, luhnValid, ssnValid } from "../../../../src/governance/pii/checksums.js";
import { detectNumber, detectText } from "../../../../src/governance/pii/detectValue.js";
import { columnNameEvidence } from "../../../../src/governance/pii/columnNameEvidence.js";
import { maskExample } from "../../../../src/governance/pii/maskExample.js";
import { CARD, DOB, EMAIL, IBAN, IP, IP_SMALL, MAC, PERSON, ADDRESS, PHONE, SSN } from "../../../../src/governance/pii/entityBits.js";
import { PII_ENTITIES } from "../../../../src/governance/pii/PiiFinding.js";
import { ibanCheckDigits, luhnCheckDigit } from "./piiFixture.js";

const digitsOf = (s: string) => Uint8Array.from(s, (c) => Number(c));
const luhn = (s: string) => luhnValid(digitsOf(s), s.length);

test("Luhn: published test numbers pass, any single-digit change fails", () => {
  for (const n of ["79927398713", "4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "3530111333300000", "30569309025904"])
    assert.ok(luhn(n), n);
  for (const n of ["79927398710", "4111111111111112", "5555555555554440", "0", "1"]) assert.equal(luhn(n), false, n);
  const base = "4539578763621486";
  assert.ok(luhn(base));
  for (let i = 0; i < base.length; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === base[i]) continue;
      assert.equal(luhn(base.slice(0, i) + d + base.slice(i + 1)), false, `changed digit ${i} to ${d}`);
    }
  }
  assert.equal(luhnCheckDigit("7992739871"), "3", "the fixture's check-digit formula agrees with the textbook example");
});

test("card prefixes: brands and their lengths", () => {
  const ok = (s: string) => knownCardPrefix(digitsOf(s), s.length);
  assert.ok(
    ok("4111111111111111") &&
      ok("4222222222222") &&
      ok("5105105105105100") &&
      ok("2221000000000009") &&
      ok("378282246310005") &&
      ok("6011000990139424") &&
      ok("3566002020360505") &&
      ok("30569309025904") &&
      ok("6200000000000005"),
  );
  assert.equal(ok("411111111111111"), false, "Visa has 13, 16 or 19 digits");
  assert.equal(ok("37828224631000"), false, "Amex has 15");
  assert.equal(ok("9111111111111111"), false, "no issuer starts with 9");
  assert.equal(ok("1234567812345670"), false, "Luhn-valid but no issuer");
});

test("IBAN mod-97: registry examples pass, a changed character or swapped pair fails", () => {
  const valid = [
    "GB82WEST12345698765432",
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "CH9300762011623852957",
    "BE68539007547034",
    "GB82 WEST 1234 5698 7654 32",
  ];
  for (const s of valid) assert.ok(ibanMod97Valid(s, 0, s.length), s);
  for (const s of ["GB82WEST12345698765433", "DE89370400440532013001", "GB28WEST12345698765432", "DE89370400440532010300"])
    assert.equal(ibanMod97Valid(s, 0, s.length), false, s);
  assert.equal(ibanCheckDigits("DE", "370400440532013000"), "89", "the fixture's BigInt check digits agree");
  assert.equal(detectText("GB82WEST12345698765432", 0), IBAN);
  assert.equal(detectText("gb82 west 1234 5698 7654 32", 0), IBAN);
  assert.equal(detectText("GB82WEST1234569876543", 0), 0, "wrong length for GB");
  assert.equal(detectText("XX82WEST12345698765432", 0), 0, "not an IBAN country");
});

test("SSN rules: area 000, 666 and 900–999, group 00 and serial 0000 are never issued", () => {
  assert.ok(ssnValid(78, 5, 1120));
  assert.ok(ssnValid(899, 99, 9999));
  for (const [a, g, s] of [
    [0, 12, 3456],
    [666, 12, 3456],
    [900, 12, 3456],
    [999, 12, 3456],
    [123, 0, 4567],
    [123, 45, 0],
  ])
    assert.equal(ssnValid(a, g, s), false, `${a}-${g}-${s}`);
  assert.equal(detectText("078-05-1120", 0), SSN);
  assert.equal(detectText("078 05 1120", 0), SSN);
  for (const s of ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "123-45-678", "123-456-789"])
    assert.equal(detectText(s, 0) & SSN, 0, s);
  assert.equal(detectText("078051120", 0), 0, "nine bare digits are not an SSN without a name");
  assert.equal(detectText("078051120", SSN), SSN, "… but are in a column named ssn");
  assert.equal(detectNumber(78051120, SSN), SSN, "a number loses the leading zero of the area");
  assert.equal(detectNumber(666123456, SSN), 0);
  assert.equal(detectNumber(78051120, 0), 0);
});

test("phone numbers: international with a country code, national layouts, bare digits only with a name", () => {
  for (const s of [
    "+1 415 555 2671",
    "+14155552671",
    "+44 20 7946 0958",
    "+44 (0)20 7946 0958",
    "+49 30 12345678",
    "+33 1 23 45 67 89",
    "+81 3-1234-5678",
    "+353 1 234 5678",
    "0044 20 7946 0958",
  ])
    assert.equal(detectText(s, 0), PHONE, s);
  for (const s of [
    "(415) 555-2671",
    "415-555-2671",
    "415.555.2671",
    "1-415-555-2671",
    "020 7946 0958",
    "07700 900123",
    "030 12345678",
    "0171/1234567",
    "(089) 1234567",
    "01 23 45 67 89",
  ])
    assert.equal(detectText(s, 0), PHONE, s);
  for (const s of [
    "+0 123 456 789",
    "+1 015 555 2671",
    "+44 20 79",
    "+1234567890123456",
    "(115) 555-2671",
    "2024-01-15",
    "15.01.2024",
    "1234567",
    "4155552671",
    "12345-6789",
    "ORD-2024-000123",
  ])
    assert.equal(detectText(s, 0) & PHONE, 0, s);
  assert.equal(detectText("4155552671", PHONE), PHONE);
  assert.equal(detectNumber(4155552671, PHONE), PHONE);
  assert.equal(detectNumber(4155552671, 0), 0, "a 10-digit number alone is an id as often as a phone");
  assert.equal(detectNumber(1234567, 0), 0, "a 7-digit integer is not PII");
});

test("cards as text and as numbers", () => {
  for (const s of ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "6011000990139424"])
    assert.equal(detectText(s, 0), CARD, s);
  for (const s of ["4111 1111 1111 1112", "41 11 11 11 11 11 11 11", "4111 1111-1111 1111", "1234567812345670"]) assert.equal(detectText(s, 0) & CARD, 0, s);
  assert.equal(detectNumber(4111111111111111, 0), CARD);
  assert.equal(detectNumber(378282246310005, 0), CARD);
  assert.equal(detectNumber(4111111111111112, 0), 0);
  assert.equal(detectNumber(4111111111111111.5, 0), 0);
});

test("emails, IPv4, IPv6 (full, compressed, with IPv4 tail) and MAC addresses", () => {
  for (const s of ["jane.doe@example.com", "j+tag@mail.example.co.uk", "o'brien@example.ie", "a_b%c@x-y.org"]) assert.equal(detectText(s, 0), EMAIL, s);
  for (const s of [
    "jane@localhost",
    "jane.@example.com",
    "@example.com",
    "jane@@example.com",
    "jane@example.c",
    "jane@-example.com",
    "jane@example.123",
    "mail me @ home",
  ])
    assert.equal(detectText(s, 0), 0, s);
  for (const s of ["write to jane@example.com, thanks", "cc: <jane.doe@example.org>", "jane doe@example.com"])
    assert.equal(detectText(s, 0), EMAIL, `an address among words: ${s}`);
  for (const s of [
    "192.168.1.20",
    "8.8.4.200",
    "255.255.255.255",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "2001:db8::1",
    "::1",
    "fe80::",
    "::ffff:192.168.1.1",
    "FE80::1FF:FE23:4567:890A",
  ])
    assert.equal(detectText(s, 0), IP, s);
  for (const s of ["256.1.1.1", "1.2.3", "01.2.3.4", "12:30:45", "2001:db8:::1", "1::2::3", "2001:db8:85a3:0:0:8a2e:370", "gggg::1", "10:30"])
    assert.equal(detectText(s, 0) & IP, 0, s);
  assert.equal(detectText("1.2.0.4", 0), IP_SMALL, "small dotted quads are left to the column");
  assert.equal(detectText("8.8.8.8", 0), IP_SMALL);
  assert.equal(detectText("1.2.0.4", IP), IP);
  for (const s of ["00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e"]) assert.equal(detectText(s, 0), MAC, s);
  for (const s of ["00:1A:2B:3C:4D", "00:1A-2B:3C:4D:5E", "001a2b3c4d5e", "0g:1A:2B:3C:4D:5E"]) assert.equal(detectText(s, 0) & MAC, 0, s);
});

test("dates of birth, names and addresses need the column's name; then values must be plausible", () => {
  assert.equal(detectText("1985-03-12", 0), 0);
  for (const s of ["1985-03-12", "1985-03-12T00:00:00", "12/31/1970", "31/12/1970", "01.02.2001", "19850312"]) assert.equal(detectText(s, DOB), DOB, s);
  for (const s of ["1885-03-12", "2990-01-01", "1985-13-01", "1985-02-30", "31/31/1970", "12:30"]) assert.equal(detectText(s, DOB), 0, s);
  assert.equal(detectNumber(19850312, DOB), DOB);
  assert.equal(detectNumber(19851312, DOB), 0);
  assert.equal(detectText("Jane Doe", 0), 0);
  for (const s of ["Jane Doe", "José García", "Smith, John", "Jean-Luc O'Brien", "Zoë"]) assert.equal(detectText(s, PERSON), PERSON, s);
  for (const s of ["SKU-123", "R2D2", "a", "x@y.com"]) assert.equal(detectText(s, PERSON) & PERSON, 0, s);
  for (const s of ["221B Baker Street", "10 Downing St, London", "Hauptstraße 5, 10115 Berlin"]) assert.equal(detectText(s, ADDRESS), ADDRESS, s);
  for (const s of ["12345", "London", "none given", "a@b.example"]) assert.equal(detectText(s, ADDRESS) & ADDRESS, 0, s);
});

test("column names: telling names, suggestive names, and words that cancel them", () => {
  const ents = (name: string) => PII_ENTITIES.filter((_, i) => columnNameEvidence(name).scores[i] > 0);
  assert.deepEqual(ents("customer_email"), ["EMAIL_ADDRESS"]);
  assert.deepEqual(ents("EmailAddress"), ["EMAIL_ADDRESS"]);
  assert.deepEqual(ents("ipAddress"), ["IP_ADDRESS"]);
  assert.deepEqual(ents("MACAddress"), ["MAC_ADDRESS"]);
  assert.deepEqual(ents("remote_addr"), ["IP_ADDRESS"]);
  assert.deepEqual(ents("shipping_address"), ["POSTAL_ADDRESS"]);
  assert.deepEqual(ents("DateOfBirth"), ["DATE_OF_BIRTH"]);
  assert.deepEqual(ents("DOB"), ["DATE_OF_BIRTH"]);
  assert.deepEqual(ents("customerName"), ["PERSON"]);
  assert.deepEqual(ents("SSN"), ["US_SSN"]);
  assert.deepEqual(ents("cardNumber"), ["CREDIT_CARD"]);
  assert.deepEqual(ents("mobile_phone"), ["PHONE_NUMBER"]);
  for (const n of [
    "product_name",
    "file_name",
    "email_verified",
    "phone_type",
    "ip_country",
    "email_hash",
    "has_email",
    "birth_year",
    "order_id",
    "created_at",
  ])
    assert.deepEqual(ents(n), [], n);
  assert.equal(columnNameEvidence("name").scores[PII_ENTITIES.indexOf("PERSON")], 0.6, "bare 'name' is only suggestive");
});

test("masks never show the value", () => {
  assert.equal(maskExample("EMAIL_ADDRESS", "jane.doe@example.com"), "j***@e***.com");
  assert.equal(maskExample("EMAIL_ADDRESS", "ask Bob Smith at bob@corp.example.org, thanks"), "… b***@c***.org …", "the words around an address are not shown");
  assert.equal(maskExample("CREDIT_CARD", "4111 1111 1111 1111"), "**** **** **** **11");
  assert.equal(maskExample("US_SSN", "078-05-1120"), "***-**-**20");
  assert.equal(maskExample("IBAN_CODE", "GB82WEST12345698765432"), "GB******************32");
  assert.equal(maskExample("IP_ADDRESS", "192.168.1.20"), "192.***.*.**");
  assert.equal(maskExample("MAC_ADDRESS", "00:1A:2B:3C:4D:5E"), "00:**:**:**:**:**");
  assert.equal(maskExample("DATE_OF_BIRTH", "1985-03-12"), "****-**-**");
  assert.equal(maskExample("PERSON", "Jane Doe"), "J*** D***");
  assert.equal(maskExample("POSTAL_ADDRESS", "10 Downing St"), "# D*** S***");
});
