// gowasi: a Go (GOOS=wasip1) WASI command exercising goroutines, channels,
// select, sync, maps, sort, fmt, strings, time and os file I/O inside the
// preopened directory given as os.Args[1] (default /sandbox).
// Output is deterministic; the exit code is 0 when every check held, 1 otherwise.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

var failures int

func check(label string, ok bool) {
	v := "yes"
	if !ok {
		v = "no"
		failures++
	}
	fmt.Printf("%s: %s\n", label, v)
}

func must(label string, err error) {
	if err != nil {
		failures++
		fmt.Printf("%s: error\n", label)
		return
	}
	fmt.Printf("%s: ok\n", label)
}

// primes sieve as a pipeline of goroutines connected by channels.
func generate(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 2; i <= n; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

func filter(in <-chan int, p int) <-chan int {
	out := make(chan int)
	go func() {
		for v := range in {
			if v%p != 0 {
				out <- v
			}
		}
		close(out)
	}()
	return out
}

func primes(n int) []int {
	var res []int
	ch := generate(n)
	for {
		p, ok := <-ch
		if !ok {
			return res
		}
		res = append(res, p)
		ch = filter(ch, p)
	}
}

// a worker pool computing Collatz lengths, results gathered in a map.
func collatz(n int) int {
	steps := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		steps++
	}
	return steps
}

func workerPool(jobs int, workers int) map[int]int {
	type result struct{ n, steps int }
	in := make(chan int, 16)
	out := make(chan result, 16)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range in {
				out <- result{n, collatz(n)}
			}
		}()
	}
	go func() {
		for i := 1; i <= jobs; i++ {
			in <- i
		}
		close(in)
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	m := make(map[int]int)
	for r := range out {
		m[r.n] = r.steps
	}
	return m
}

func wordFrequencies(text string) []string {
	counts := map[string]int{}
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ".,;:!?\"'")
		if w != "" {
			counts[w]++
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	var out []string
	for i, w := range words {
		if i == 5 {
			break
		}
		out = append(out, fmt.Sprintf("%s=%d", w, counts[w]))
	}
	return out
}

func fileIO(root string) {
	dir := filepath.Join(root, "godata")
	must("mkdir godata", os.Mkdir(dir, 0o755))
	// writers in parallel goroutines, one file each
	var wg sync.WaitGroup
	var mu sync.Mutex
	written := map[string]int{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("file%02d.txt", i)
			var b strings.Builder
			for j := 0; j <= i; j++ {
				fmt.Fprintf(&b, "file %d line %d\n", i, j)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err == nil {
				mu.Lock()
				written[name] = b.Len()
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	fmt.Printf("files written: %d\n", len(written))

	entries, err := os.ReadDir(dir)
	must("ReadDir", err)
	names := []string{}
	total := int64(0)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		names = append(names, e.Name())
		total += info.Size()
	}
	check("ReadDir sorted", sort.StringsAreSorted(names))
	fmt.Printf("entries: %d, first: %s, last: %s, total bytes: %d\n", len(names), names[0], names[len(names)-1], total)

	// read one back line by line
	f, err := os.Open(filepath.Join(dir, "file07.txt"))
	must("Open file07", err)
	if f != nil {
		sc := bufio.NewScanner(f)
		lines := 0
		last := ""
		for sc.Scan() {
			lines++
			last = sc.Text()
		}
		f.Close()
		fmt.Printf("file07: %d lines, last %q\n", lines, last)
	}

	// seek, append, truncate, stat
	p := filepath.Join(dir, "rw.bin")
	f, err = os.OpenFile(p, os.O_CREATE|os.O_RDWR|os.O_EXCL, 0o644)
	must("OpenFile rw.bin", err)
	if f != nil {
		f.Write([]byte("0123456789abcdef"))
		off, _ := f.Seek(4, io.SeekStart)
		buf := make([]byte, 6)
		n, _ := io.ReadFull(f, buf)
		fmt.Printf("seek %d read %d %q\n", off, n, buf)
		end, _ := f.Seek(0, io.SeekEnd)
		fmt.Printf("end offset: %d\n", end)
		f.WriteAt([]byte("ZZ"), 2)
		must("Truncate 10", f.Truncate(10))
		st, _ := f.Stat()
		fmt.Printf("size: %d, mode regular: %v\n", st.Size(), st.Mode().IsRegular())
		f.Close()
		data, _ := os.ReadFile(p)
		fmt.Printf("contents: %q\n", data)
	}
	_, err = os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	check("O_EXCL on existing gives ErrExist", errors.Is(err, fs.ErrExist))
	_, err = os.Stat(filepath.Join(dir, "missing"))
	check("Stat missing gives ErrNotExist", errors.Is(err, fs.ErrNotExist))

	must("Rename", os.Rename(p, filepath.Join(dir, "renamed.bin")))
	must("Symlink", os.Symlink("renamed.bin", filepath.Join(dir, "link")))
	target, err := os.Readlink(filepath.Join(dir, "link"))
	fmt.Printf("Readlink: %q %v\n", target, err == nil)
	fi, _ := os.Lstat(filepath.Join(dir, "link"))
	check("Lstat sees symlink", fi != nil && fi.Mode()&fs.ModeSymlink != 0)

	// walk and remove everything
	walked := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil {
			walked++
		}
		return nil
	})
	fmt.Printf("WalkDir visited: %d\n", walked)
	must("RemoveAll", os.RemoveAll(dir))
	_, err = os.Stat(dir)
	check("godata gone", errors.Is(err, fs.ErrNotExist))
}

func timers() {
	start := time.Now()
	timeout := time.After(20 * time.Millisecond)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	ticks := 0
loop:
	for {
		select {
		case <-tick.C:
			ticks++
		case <-timeout:
			break loop
		}
	}
	el := time.Since(start)
	check("select with timeout waited >= 20ms", el >= 20*time.Millisecond)
	check("ticker fired at least once", ticks >= 1)
	done := make(chan struct{})
	go func() {
		time.Sleep(5 * time.Millisecond)
		close(done)
	}()
	select {
	case <-done:
		fmt.Println("sleeping goroutine finished: yes")
	case <-time.After(10 * time.Second):
		fmt.Println("sleeping goroutine finished: no")
		failures++
	}
	check("wall clock after 2020", time.Now().Year() >= 2020)
}

func main() {
	root := "/sandbox"
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	fmt.Printf("args: %d\n", len(os.Args))
	fmt.Printf("GOWASI_MODE=%q\n", os.Getenv("GOWASI_MODE"))

	ps := primes(200)
	fmt.Printf("primes <= 200: %d, last five: %v\n", len(ps), ps[len(ps)-5:])

	m := workerPool(3000, 8)
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	best, bestSteps, sum := 0, -1, 0
	for _, k := range keys {
		sum += m[k]
		if m[k] > bestSteps {
			best, bestSteps = k, m[k]
		}
	}
	fmt.Printf("collatz results: %d, longest: %d (%d steps), total steps: %d\n", len(keys), best, bestSteps, sum)

	// unbuffered ping-pong between two goroutines
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v * 2
		}
		close(pong)
	}()
	acc := 0
	for i := 1; i <= 100; i++ {
		ping <- i
		acc += <-pong
	}
	close(ping)
	_, open := <-pong
	fmt.Printf("ping-pong sum: %d, pong closed: %v\n", acc, !open)

	text := "the quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs! A fox, a dog, the end."
	fmt.Printf("top words: %s\n", strings.Join(wordFrequencies(text), " "))

	fileIO(root)
	timers()

	fmt.Printf("failures: %d\n", failures)
	if failures != 0 {
		os.Exit(1)
	}
}
