import type { PiiEntity } from "./PiiFinding.js";

/**
 * A matching value made safe to show: enough shape to recognise the entity and check the finding,
 * never enough to recover the value. Emails keep a first letter of the user and domain and the
 * top-level domain; numbers keep their last two digits and layout; IBANs their country; network
 * addresses their first group; names and addresses the first letter of each word; birth dates nothing.
 */
export function maskExample(entity: PiiEntity, raw: string): string {
  const v = raw.trim();
  switch (entity) {
    case "EMAIL_ADDRESS": {
      // The address may sit in a sentence: show only it, masked, and an ellipsis for the rest.
      const m = /([A-Za-z0-9._%+'-]+)@([A-Za-z0-9.-]*[A-Za-z0-9])/.exec(v);
      if (!m) return "***";
      const domain = m[2];
      const masked = `${m[1][0]}***@${domain[0]}***${domain.slice(domain.lastIndexOf("."))}`;
      return `${m.index > 0 ? "… " : ""}${masked}${m.index + m[0].length < v.length ? " …" : ""}`;
    }
    case "IBAN_CODE":
      return v.slice(0, 2) + keepLastDigits(v.slice(2), 2);
    case "PHONE_NUMBER":
    case "CREDIT_CARD":
    case "US_SSN":
      return keepLastDigits(v, 2);
    case "IP_ADDRESS":
    case "MAC_ADDRESS": {
      const m = /^[0-9A-Fa-f]*[.:-]/.exec(v);
      const head = m ? m[0] : "";
      return head + v.slice(head.length).replace(/[0-9A-Fa-f]/g, "*");
    }
    case "DATE_OF_BIRTH":
      return v.replace(/[0-9]/g, "*");
    case "PERSON":
    case "POSTAL_ADDRESS":
      return v.replace(/[\p{L}\p{N}]+/gu, (w) => (/^\p{N}/u.test(w) ? "#" : `${w[0]}***`));
  }
}

/** Every letter and digit but the last `keep` digits becomes `*`; separators stay. */
function keepLastDigits(v: string, keep: number): string {
  let digitsLeft = keep;
  const out: string[] = new Array(v.length);
  for (let i = v.length - 1; i >= 0; i--) {
    const c = v[i];
    if (c >= "0" && c <= "9" && digitsLeft > 0) {
      out[i] = c;
      digitsLeft--;
    } else {
      out[i] = /[0-9A-Za-z]/.test(c) ? "*" : c;
    }
  }
  return out.join("");
}
