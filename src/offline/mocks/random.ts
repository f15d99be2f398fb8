// The random provider, deterministic: the same resource gets the same password or id on every run.
import { createHash } from "crypto";
import type { ResourceMock } from "./context";

export const randomResources: Record<string, ResourceMock> = {
    "random:index/randomPassword:RandomPassword": (inputs, r) => {
        const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789" + String(inputs.overrideSpecial ?? "");
        const bytes = createHash("sha512").update(r.digest).digest();
        const result = Array.from({ length: Number(inputs.length) }, (_, i) => alphabet[bytes[i % bytes.length] % alphabet.length]).join("");
        return { id: "none", state: { ...inputs, result } };
    },
    "random:index/randomId:RandomId": (inputs, r) => {
        const hex = createHash("sha256").update(r.digest).digest("hex").slice(0, Number(inputs.byteLength) * 2);
        return { id: hex, state: { ...inputs, hex, dec: BigInt(`0x${hex}`).toString() } };
    },
};
