package config

import "testing"

func BenchmarkParseDesignConfig(b *testing.B) {
	data := []byte(designConfig)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "design.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
