/**
 * Settings that loosen a safety limit. A cloned repository's `.vscode/settings.json` must not
 * raise them while the workspace is untrusted: package.json lists each under
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`, and settings.ts reads them
 * ignoring workspace and folder values in Restricted Mode (VS Code does too; ModelLens does not
 * depend on it). No `vscode` import here: a unit test checks package.json against this list.
 */
export const RESTRICTED_SETTINGS = ['maxFileSizeKB', 'forwardPass.confirmAboveMB', 'forwardPass.timeoutSeconds', 'forwardPass.backend'] as const;
export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

/** Settings that only change how results look: a workspace may set them in Restricted Mode. */
export const HARMLESS_SETTINGS = ['defaultBatchSize', 'layerLenses', 'parameterFreeLayerLenses', 'numberFormat', 'forwardPass.seed'] as const;
