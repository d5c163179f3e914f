# Python's objects as p2w lowers them to Wasm GC: classes and inheritance, closures,
# generators, exceptions, lists, dicts, sets, strings and floats; then rings of objects
# (cycles) made and dropped until the collector has had to reclaim them.
class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        return 0.0

    def describe(self):
        return self.name + " " + str(self.area())


class Rectangle(Shape):
    def __init__(self, width, height):
        super().__init__("rectangle")
        self.width = width
        self.height = height

    def area(self):
        return self.width * self.height


class Square(Rectangle):
    def __init__(self, side):
        super().__init__(side, side)
        self.name = "square"


def counter(start):
    count = [start]

    def step(by):
        count[0] = count[0] + by
        return count[0]
    return step


def evens(limit):
    n = 0
    while n < limit:
        yield n
        n += 2


class Empty(Exception):
    pass


def first(items):
    if len(items) == 0:
        raise Empty("no items")
    return items[0]


class Link:
    def __init__(self, value):
        self.value = value
        self.next = None
        self.previous = None


def ring(size):
    head = Link(0)
    last = head
    for k in range(1, size):
        link = Link(k)
        link.previous = last
        last.next = link
        last = link
    last.next = head
    head.previous = last
    return head


def walk(head, steps):
    total = 0
    link = head
    for k in range(steps):
        total += link.value
        link = link.next
    return total


shapes = [Shape("point"), Rectangle(2.0, 3.5), Square(1.5)]
for shape in shapes:
    print(shape.describe())
area = 0.0
for shape in shapes:
    area += shape.area()
print("area", area)

step = counter(10)
step(5)
print("counter", step(-3))
print("evens", list(evens(11)))

try:
    first([])
except Empty:
    print("empty caught")
print("first", first([7, 8]))

words = "the quick brown fox jumps over the lazy dog the end".split()
counts = {}
for word in words:
    counts[word] = counts.get(word, 0) + 1
print("the", counts["the"], "words", len(counts))
print(sorted({len(w) for w in words}))
print("-".join([w.upper() for w in words if len(w) > 4]))
print(f"{2.0 / 3.0:.3f} {17 // 5} {17 % 5} {-17 // 5} {2 ** 40}")

rings = 0
total = 0
for size in range(1, 3001):
    total += walk(ring(size % 50 + 2), 60)
    rings += 1
print("rings", rings, "total", total)
