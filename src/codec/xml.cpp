// Implemented in the codec XML task.
