package output

import "os"

// swapByRename swaps folders a and b with three renames. Between the second
// and third there is an instant with no b, which is why exchange prefers an
// atomic swap where there is one. On failure it puts b back.
func swapByRename(a, b string) error {
	aside := a + ".old"
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(aside, b)
		return err
	}
	return os.Rename(aside, a)
}
