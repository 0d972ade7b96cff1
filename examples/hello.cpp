// A C++ program using the standard library, virtual dispatch and templates.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

struct Shape {
	virtual ~Shape() = default;
	virtual double area() const = 0;
	virtual std::string name() const = 0;
};
struct Square : Shape {
	double s;
	explicit Square(double s) : s(s) {}
	double area() const override { return s * s; }
	std::string name() const override { return "square"; }
};
struct Circle : Shape {
	double r;
	explicit Circle(double r) : r(r) {}
	double area() const override { return 3.14159265358979 * r * r; }
	std::string name() const override { return "circle"; }
};

template <typename T> T total(const std::vector<T> &v) { return std::accumulate(v.begin(), v.end(), T{}); }

int main() {
	std::vector<std::unique_ptr<Shape>> shapes;
	shapes.push_back(std::make_unique<Square>(2));
	shapes.push_back(std::make_unique<Circle>(1));
	std::map<std::string, double> areas;
	for (const auto &s : shapes) areas[s->name()] = s->area();
	for (const auto &[name, a] : areas) std::cout << name << ": " << a << "\n";

	std::vector<int> v(10);
	std::iota(v.begin(), v.end(), 1);
	std::reverse(v.begin(), v.end());
	std::cout << "sum 1..10 = " << total(v) << ", first = " << v.front() << std::endl;
	return 0;
}
