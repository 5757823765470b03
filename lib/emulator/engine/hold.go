package engine

// Hold runs fn holding the model lock, as an import does: Busy reports
// true meanwhile. The emulator's tests use it to see what a client gets
// while a model is busy.
func (m *Model) Hold(fn func()) {
	defer m.lock()()
	fn()
}
