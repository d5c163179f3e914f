# Binary trees: 20 trees of depth 14 built, walked and dropped (655,340 objects).
class Tree:
    def __init__(self, left, right):
        self.left = left
        self.right = right


def make(depth):
    if depth == 0:
        return Tree(None, None)
    return Tree(make(depth - 1), make(depth - 1))


def check(tree):
    if tree.left is None:
        return 1
    return 1 + check(tree.left) + check(tree.right)


total = 0
for i in range(20):
    total += check(make(14))
print("nodes", total)
