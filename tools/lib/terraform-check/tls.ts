/**
 * The certificate the schema-only provider presents to Terraform (go-plugin automatic mutual
 * TLS). Terraform trusts exactly the certificate the plugin announces in its handshake, so it
 * is self-signed, a CA (Go verifies it as its own root), valid for `localhost` (the server name
 * go-plugin checks) and for server and client auth, like go-plugin's own generateCert.
 *
 * Made once per run: the key with Node's crypto (RSA 2048, native and fast), the X.509
 * structure with node-forge, since Node has no certificate builder. node-forge over the
 * `openssl` CLI: an npm devDependency installs with the project everywhere, a system binary
 * may be missing; over @peculiar/x509: no reflect-metadata polyfill and no dependency tree.
 * @see https://github.com/hashicorp/go-plugin/blob/main/mtls.go
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

export interface CertificatePair {
  cert: string;
  key: string;
}

export function selfSignedCertificate(now: Date = new Date()): CertificatePair {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: first byte below 0x80.
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 24 * 3600_000);
  const name = [
    { name: "commonName", value: "localhost" },
    { name: "organizationName", value: "eks-cdktf terraform-check" },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}
