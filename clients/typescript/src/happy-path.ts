// The enterprise's happy path through the typed client, against a running gateway:
// profile → draft → submit → status. The portal team's first hour, as a script.
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

/** Steps that must run between the draft and the submission (e.g. uploading the evidence
 * documents that a submission requires): add them here. */
export const beforeSubmit: Step[] = [];

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
