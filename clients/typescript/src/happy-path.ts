// The enterprise's happy path through the typed client, against a running gateway:
// profile → draft → evidence → submit → status. The portal team's first hour, as a script.
//
//   SME_API=http://127.0.0.1:8000 SME_TOKEN=<enterprise JWT> SME_FORM=form.json \
//     node clients/typescript/dist/happy-path.js
//
// Prints one JSON line per step; exits non-zero on the first error answer.
import { readFileSync } from "node:fs";
import { type ApiClient, type Schemas, createApiClient, ok } from "./client.js";

type Form = Schemas["InformationForm"];
type Application = Schemas["ApplicationOut"];

export interface Journey {
  api: ApiClient;
  form: Form;
  application?: Application;
}

/** A step of the journey; steps run in order and may fill `journey.application`. */
export type Step = (journey: Journey) => Promise<unknown>;

export const registerProfile: Step = async ({ api, form }) =>
  ok(await api.POST("/api/v1/enterprises", { body: form.enterprise }));

export const createDraft: Step = async (journey) => {
  journey.application = ok(await journey.api.POST("/api/v1/applications", { body: journey.form }));
  return journey.application;
};

export const submit: Step = async ({ api, application }) =>
  ok(
    await api.POST("/api/v1/applications/{application_id}/submit", {
      params: { path: { application_id: requireId(application) } },
    }),
  );

export const readStatus: Step = async ({ api, application }) => {
  const current = ok(
    await api.GET("/api/v1/applications/{application_id}", {
      params: { path: { application_id: requireId(application) } },
    }),
  );
  return { id: current.id, status: current.status, round: current.round };
};

type DocumentKind = "financial_statements" | "ip_certificate" | "fast_track_evidence";
interface EvidenceItem {
  kind: DocumentKind;
  refers_to?: string;
}

/** The policy parts that say which evidence a submission needs (policy-as-data, per year). */
interface EvidencePolicy {
  evidence: {
    required: {
      financial_statements: boolean;
      fast_track_evidence: boolean;
      class1_ip_certificate: boolean;
    };
  };
  scoring: { ip_classes: Record<string, string> };
}

/** What the year's policy requires for this form (contract § Round 2, Evidence documents):
 * the financial statements, the evidence of every fast-track claim and the certificate of
 * every Class I IP item. */
export function requiredEvidence(form: Form, policy: EvidencePolicy): EvidenceItem[] {
  const required = policy.evidence.required;
  const items: EvidenceItem[] = [];
  if (required.financial_statements) items.push({ kind: "financial_statements" });
  if (required.fast_track_evidence) {
    for (const claim of form.fast_track ?? []) {
      items.push({ kind: "fast_track_evidence", refers_to: claim.reference });
    }
  }
  if (required.class1_ip_certificate) {
    for (const ip of form.ip ?? []) {
      if (policy.scoring.ip_classes[ip.kind] === "class1") {
        items.push({ kind: "ip_certificate", refers_to: ip.number });
      }
    }
  }
  return items;
}

/** A minimal one-page PDF naming `tag`: stands in for the scanned document a clerk attaches. */
export function placeholderPdf(tag: string): string {
  const text = tag.replace(/[\\()]/g, "_");
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out; // ASCII only, so offsets in characters are offsets in bytes
}

/** Upload what the year's policy requires before the submission (multipart/form-data). */
export const uploadEvidence: Step = async ({ api, form, application }) => {
  const applicationId = requireId(application);
  const policy = ok(
    await api.GET("/api/v1/policy/{year}", { params: { path: { year: form.year } } }),
  ) as unknown as EvidencePolicy;
  const uploaded = [];
  for (const item of requiredEvidence(form, policy)) {
    const name = `${item.kind}-${item.refers_to ?? "main"}.pdf`;
    const file = new Blob([placeholderPdf(`${form.enterprise.uscc} ${name}`)], {
      type: "application/pdf",
    });
    const document = ok(
      await api.POST("/api/v1/applications/{application_id}/documents", {
        params: { path: { application_id: applicationId } },
        // The generated type names the file part a string (format: binary); a Blob is sent.
        body: { file: file as unknown as string, kind: item.kind, refers_to: item.refers_to },
        bodySerializer(body) {
          const data = new FormData();
          data.append("file", file, name);
          data.append("kind", body.kind);
          if (body.refers_to) data.append("refers_to", body.refers_to);
          return data;
        },
      }),
    );
    uploaded.push({ kind: document.kind, refers_to: document.refers_to, sha256: document.sha256 });
  }
  return uploaded;
};

/** Steps that must run between the draft and the submission. */
export const beforeSubmit: Step[] = [uploadEvidence];

export const happyPath: Step[] = [registerProfile, createDraft, ...beforeSubmit, submit, readStatus];

function requireId(application: Application | undefined): string {
  if (!application) throw new Error("no draft yet: createDraft must run first");
  return application.id;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const journey: Journey = {
    api: createApiClient(env("SME_API"), env("SME_TOKEN")),
    form: JSON.parse(readFileSync(env("SME_FORM"), "utf-8")) as Form,
  };
  for (const step of happyPath) {
    const result = await step(journey);
    console.log(JSON.stringify({ step: step.name, result }));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
