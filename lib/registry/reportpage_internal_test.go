package registry

import "testing"

func TestGrowthTextRoundsBeforeTheSign(t *testing.T) {
	t.Parallel()
	for perDay, want := range map[float64]string{-0.4: "0", 0.4: "0", 0: "0", -1.6: "-2 B", 2047.6: "+2.0 KiB", -3 << 20: "-3.0 MiB"} {
		if got := growthText(perDay); got != want {
			t.Errorf("growthText(%v) = %q, want %q", perDay, got, want)
		}
	}
}

func TestWholeTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ most, top, step float64 }{
		{0, 1, 1}, {3, 3, 1}, {6, 6, 1}, {7, 8, 2}, {10.5, 12, 2}, {13, 15, 5}, {39, 40, 10}, {61, 80, 20}, {250, 250, 50}, {310, 400, 100},
	} {
		if top, step := wholeTicks(tc.most); top != tc.top || step != tc.step {
			t.Errorf("wholeTicks(%v) = %v, %v; want %v, %v", tc.most, top, step, tc.top, tc.step)
		}
	}
}
