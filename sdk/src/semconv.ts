// '@tunnelvision/sdk/semconv': the conventions, re-exported so an app that
// installs only the SDK can name events and attributes.
export * from '@tunnelvision/semconv';
