import type { Metadata } from '@grpc/grpc-js';

const firstString = (metadata: Metadata, key: string): string | undefined => {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
};

/** The key a call presents, as OTLP/HTTP takes it: metadata x-tunnelvision-key, else "authorization: Bearer <key>"; trimmed. */
export function presentedGrpcToken(metadata: Metadata): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(firstString(metadata, 'authorization') ?? '')?.[1];
  const token = (firstString(metadata, 'x-tunnelvision-key') ?? bearer)?.trim();
  return token === '' ? undefined : token;
}
