import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_NAME } from '../api/bridge';
import { createPreloadBridge } from './ipc-relay';

// Sandboxed preload: exposes exactly one named object, never ipcRenderer itself.
contextBridge.exposeInMainWorld(BRIDGE_NAME, createPreloadBridge(ipcRenderer));
