// one error base for the whole project, defined where every package can reach it
export { CanvasError, errorCode, hasCode } from '@canvas/canvas';
