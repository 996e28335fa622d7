/**
 * The experiment config's schemas, defaults and choice lists, for the renderer and the API:
 * re-exported from the domain's Node-free config module, where they are declared once.
 */
export * from '../domain/experiments/config/index';
