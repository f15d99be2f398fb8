// How a config value Pulumi handed over as text is read back: JSON for structured values, else the text itself.

/** Pulumi hands structured values over as JSON; anything else is the text as written. */
export function parseValue(text: string): unknown {
    // JSON text starts, after any whitespace, with one of these (https://www.rfc-editor.org/rfc/rfc8259#section-2):
    // anything else ("us-east-1") is plain text, known without the SyntaxError JSON.parse would build for it.
    if (!/^\s*[{["\-0-9tfn]/.test(text)) return text;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

export function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
