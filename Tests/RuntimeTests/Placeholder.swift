// Runtime tests are written here.
