// PyTorch checkpoint import: a reader for torch.save files that never executes pickled code.
export { readPytorchCheckpoint, WRAPPER_KEYS, type ReadOptions, type StateDict } from './reader'
export type { TorchTensor } from './materialise'
export type { DType } from './torch-objects'
export { ALLOWED_GLOBALS } from './torch-objects'
export { CheckpointError } from './errors'
