// Implemented in the codec form task.
