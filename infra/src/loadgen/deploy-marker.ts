/** A deploy marker to record. */
export interface DeployMarkerRequest {
  /** Collector base URL. */
  collectorUrl: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  ingestKey: string | undefined;
  /** service.name deployed. */
  service: string;
  /** service.version deployed. */
  version: string;
  /** deployment.environment.name. */
  environment: string;
  /** Commit deployed. */
  commit: string;
  /** Free text. */
  description: string;
}

/** A marker as the collector stored it. */
export interface RecordedDeploy {
  /** The marker's id (for /api/v1/deploys/{id}/impact). */
  id: string;
  /** When it happened (ISO). */
  time: string;
  /** service.name. */
  service: string;
  /** service.version. */
  version: string;
}

/** What posting a marker came to: the stored marker, or why not. */
export type DeployMarkerResult = { ok: true; deploy: RecordedDeploy } | { ok: false; error: string };

/** Gives up on a marker after this long. */
const TIMEOUT_MILLIS = 10_000;

/** Records a deploy marker with POST /api/v1/deploys. Never throws: a failure comes back as `{ ok: false }`. */
export async function postDeployMarker(request: DeployMarkerRequest): Promise<DeployMarkerResult> {
  const base = request.collectorUrl.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1/deploys`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(request.ingestKey === undefined ? {} : { authorization: `Bearer ${request.ingestKey}` }),
      },
      body: JSON.stringify({
        service: request.service,
        version: request.version,
        environment: request.environment,
        commit: request.commit,
        description: request.description,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MILLIS),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { ok: false, error: `cannot reach the collector at ${base}: ${cause ?? (error as Error).message}` };
  }
  const answer = (await response.json().catch(() => ({}))) as {
    deploy?: { id?: unknown; time?: unknown };
    error?: { message?: unknown };
  };
  const deploy = answer.deploy;
  if (response.status !== 201 || typeof deploy?.id !== 'string' || typeof deploy.time !== 'string') {
    const why = typeof answer.error?.message === 'string' ? answer.error.message : 'no details';
    return { ok: false, error: `the collector refused the deploy marker (HTTP ${response.status}): ${why}` };
  }
  return { ok: true, deploy: { id: deploy.id, time: deploy.time, service: request.service, version: request.version } };
}
